/**
 * Regions to choose from by name (public reference data, docs/api.md#regions): the citizen app's region pickers ask
 * it as the holder types, in Chinese, pinyin or digits, or walk province → city → county.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ERROR_RESPONSES } from '../http/schemas.ts';
import { searchRegions, type RegionLevel } from './region-search.ts';

const Level = Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('county')]);
const LEVELS = ['province', 'city', 'county'] as const;

export function regionsRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/regions',
      {
        schema: {
          operationId: 'searchRegions',
          summary:
            '选择地区: regions by Chinese name, pinyin or code, or the children of one (province → city → county)',
          tags: ['provinces'],
          querystring: Type.Object(
            {
              q: Type.Optional(
                Type.String({ maxLength: 40, description: '长沙, changsha, chang sha or 4301' }),
              ),
              parent: Type.Optional(
                Type.String({ pattern: '^\\d{6}$', description: 'Its children, without q' }),
              ),
              levels: Type.Optional(
                Type.String({
                  pattern: '^(province|city|county)(,(province|city|county))*$',
                  description: 'city,county',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              regions: Type.Array(
                Type.Object({
                  code: Type.String(),
                  name: Type.String(),
                  nameEn: Type.String(),
                  level: Level,
                  within: Type.String(),
                  withinEn: Type.String(),
                }),
              ),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const { q, parent, levels } = request.query;
        const wanted = levels
          ?.split(',')
          .filter((l): l is RegionLevel => (LEVELS as readonly string[]).includes(l));
        const regions = searchRegions({
          ...(q === undefined ? {} : { q }),
          ...(parent === undefined ? {} : { parent }),
          ...(wanted === undefined ? {} : { levels: wanted }),
        });
        return reply.header('cache-control', 'public, max-age=3600').send({ regions });
      },
    );
  };
}
