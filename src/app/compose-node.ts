/**
 * The parts only a provincial node has (`yimatong province`): its province keys, its client of the hub (signed
 * with its access key), real-name sign-in through the hub, its copy of the hub's trust list, and — once the
 * shared services exist — its status outbox, its answers to the hub and its life beside the HTTP server.
 */
import type { CodeService } from '../code/code.service.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { nodeConnections } from '../federation/node-address-guard.ts';
import type { PeerHealth } from '../federation/peer-health.ts';
import { SignedClient, type HubCaller } from '../federation/signed-client.ts';
import type { IdentityProvider } from '../identity/identity-provider.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { HubIdentityProvider } from '../province-node/hub-identity-provider.ts';
import { HubTrustList } from '../province-node/hub-trust-list.ts';
import { NodeAnswersService } from '../province-node/node-answers.service.ts';
import { ProvinceKeys } from '../province-node/province-keys.ts';
import { ProvinceNode } from '../province-node/province-node.ts';
import { PublishedKeySigning } from '../province-node/published-key-signing.ts';
import type { StatusExchangeService } from '../exchange/status-exchange.service.ts';
import { NodeExchange } from '../province-node/node-exchange.ts';
import type { NationalStatusService } from '../province-node/national-status.service.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import { SHIPPED_ACCEPTANCE_RULE_DOCS } from '../recognition/acceptance.registry.ts';
import type { KeyStore } from '../signing/keystore.ts';
import { hubTrustListOptions, KeyringCache } from '../signing/trust-list.service.ts';
import type { StatusService } from '../status/status.service.ts';
import type { Clock } from '../time/clock.ts';

/** How the hub calls nodes: as itself, signed with its trust anchor, only at node URLs it accepts. */
export function hubCallerOf(config: Config, keys: KeyringCache, peers: PeerHealth): HubCaller {
  return {
    hubIssuerId: config.hubIssuerId,
    // The hub signs its calls to nodes with its trust anchor (domain-separated by the request label).
    sign: (now) => keys.current(now.getTime()).anchor.sign,
    timeoutMs: config.peerTimeoutMs,
    health: peers,
    nodeUrls: { allowLocal: config.nodeUrlsAllowLocal },
    connections: nodeConnections({ allowLocal: config.nodeUrlsAllowLocal }),
  };
}

/** Running as a provincial node. */
export interface ProvinceRole {
  readonly code: string;
  readonly hubUrl: string;
  /** Acceptance rule set files the province publishes at start. */
  readonly rulesFiles?: readonly string[];
  readonly log?: (message: string) => void;
}

/** A running node's own parts. */
export interface NodeParts {
  /** Its life beside the HTTP server: start (enrol its node URL, keys and rules), refresh, push, stop. */
  readonly life: ProvinceNode;
  /** Its side of the status exchange: its holders' own findings to the hub. */
  readonly exchange: NodeExchange;
  /** The national status the hub sends it. */
  readonly national: NationalStatusService;
  readonly answers: NodeAnswersService;
}

export function composeNode(deps: {
  readonly config: Config;
  readonly clock: Clock;
  readonly db: Db;
  readonly keyStore: KeyStore;
  readonly registry: ProvinceRegistry;
  readonly persons: PersonsRepository;
  readonly role: ProvinceRole;
  readonly peers: PeerHealth;
}) {
  const { config, clock, db, keyStore, role } = deps;
  const provinceKeys = new ProvinceKeys(keyStore, role.code);
  provinceKeys.ensure(clock());
  const keys = new KeyringCache(
    keyStore,
    {
      ...hubTrustListOptions(config, keyStore, SHIPPED_ACCEPTANCE_RULE_DOCS),
      issuer: deps.registry.issuer(role.code),
    },
    config.keyReloadSeconds * 1000,
  );
  const hub = new SignedClient({
    baseUrl: role.hubUrl,
    caller: role.code,
    sign: provinceKeys.accessSigner(),
    timeoutMs: config.peerTimeoutMs,
    clock,
    health: deps.peers,
  });
  const trust = new HubTrustList(role.hubUrl, config.dataDir, config.peerTimeoutMs);
  return {
    keys,
    /** Its client of the hub, signed with its access key. */
    hub,
    trust,
    /** Sign-in through the hub's real-name service, confirmed with the code the hub texts the holder. */
    identities: (national: NationalStatusService): IdentityProvider =>
      new HubIdentityProvider(hub, db, deps.persons, national, clock),
    /** Publish before use: codes are signed only with a key the hub's list, as the node holds it, carries. */
    signing: new PublishedKeySigning(keys, () => trust.current(), role.code),
    /** The rest, once the services it works with are built. */
    start(shared: {
      status: StatusService;
      codes: CodeService;
      exchange: StatusExchangeService;
      national: NationalStatusService;
    }): NodeParts {
      const exchange = new NodeExchange(db, shared.exchange, deps.persons);
      const life = new ProvinceNode(hub, trust, provinceKeys, keyStore, keys, exchange, {
        code: role.code,
        trustRefreshMs: config.trustListRefreshSeconds * 1000,
        statusPushMs: config.statusPushSeconds * 1000,
        rulesFiles: role.rulesFiles ?? [],
        clock,
        log: role.log ?? (() => undefined),
      });
      return {
        life,
        exchange,
        national: shared.national,
        answers: new NodeAnswersService(db, deps.persons, shared.codes, shared.status),
      };
    },
  };
}
