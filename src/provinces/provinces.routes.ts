import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../errors/app-error.ts';
import { ERROR_RESPONSES } from '../http/schemas.ts';
import type { ProvinceRegistry, ProvincialUnit } from './province-registry.ts';

const Unit = Type.Object({
  code: Type.String({ pattern: '^[0-9]{6}$' }),
  name: Type.String(),
  nameEn: Type.String(),
  kind: Type.Union([Type.Literal('province'), Type.Literal('corps')]),
  cities: Type.Optional(Type.Array(Type.Object({ code: Type.String(), name: Type.String() }))),
});

function view(u: ProvincialUnit) {
  const { cities, ...rest } = u;
  return cities ? { ...rest, cities: cities.map((c) => ({ ...c })) } : rest;
}

/** The provincial units of mutual recognition (public reference data). */
export function provinceRoutes({ registry }: { registry: ProvinceRegistry }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/provinces',
      {
        schema: {
          operationId: 'listProvinces',
          summary: 'The 32 provincial units: 31 provinces and the Corps, with the Corps’ cities',
          tags: ['provinces'],
          response: { 200: Type.Array(Unit), ...ERROR_RESPONSES },
        },
      },
      async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=3600').send(registry.all().map(view)),
    );

    app.get(
      '/api/v1/provinces/:code',
      {
        schema: {
          operationId: 'getProvince',
          summary:
            'The provincial unit a 6-digit code belongs to (a unit, a Corps city or any GB/T 2260 region)',
          tags: ['provinces'],
          params: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }),
          response: { 200: Unit, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const unit = registry.unitOf(request.params.code);
        if (!unit) throw new AppError('YMT_ERR_PROVINCE_UNKNOWN');
        return view(unit);
      },
    );
  };
}
