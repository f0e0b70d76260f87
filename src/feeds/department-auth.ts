/**
 * A department's credential (`Authorization: Bearer ymtd_…`, from `yimatong departments add`): valid for one source,
 * and for one province when the department is a province's. Shared by the feed routes and the department's
 * corrections routes.
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.ts';
import { AppError } from '../errors/app-error.ts';
import type { Department } from './departments.repository.ts';
import type { DepartmentsService } from './departments.service.ts';

/** The department behind the bearer token, allowed only its own source. */
export async function departmentOf(
  departments: DepartmentsService,
  request: FastifyRequest,
  source: string,
): Promise<Department> {
  const m = /^Bearer\s+(ymtd_[A-Za-z0-9_-]{20,100})$/i.exec(request.headers.authorization ?? '');
  const found = m?.[1] === undefined ? undefined : await departments.byToken(m[1]);
  if (!found) throw new AppError('YMT_ERR_UNAUTHENTICATED');
  if (found.source !== source) throw new AppError('YMT_ERR_FEED_FORBIDDEN');
  return found;
}

/** The department as the services see who acts. */
export function departmentActor(d: Department): Actor {
  return {
    role: 'department',
    name: d.name,
    departmentId: d.departmentId,
    source: d.source,
    province: d.province,
  };
}
