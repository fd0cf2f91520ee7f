import { openCatalog } from '../../native-helper/src/app';
import { DEFAULT_ROLES, TASK_DEFAULT_ROLE, type DefaultRole } from '../../native-helper/src/catalog/manifest';

/** The shipped catalog's defaults: one model per role (chosen by `npm run eval`), and `default` agreeing with them. */
describe('catalog defaults', () => {
  it('has exactly one model per role, of the role’s task', async () => {
    const catalog = await openCatalog(undefined);
    for (const role of Object.keys(DEFAULT_ROLES) as DefaultRole[]) {
      const holders = catalog.list().filter((m) => m.roles?.includes(role));
      expect(holders.map((m) => m.task)).toEqual([DEFAULT_ROLES[role]]);
      expect(catalog.defaultForRole(role).id).toBe(holders[0].id);
    }
  });

  it('runs the model of the task’s default role without --model, and marks it (and only it) default', async () => {
    const catalog = await openCatalog(undefined);
    for (const task of ['upscale', 'restore'] as const) {
      const role = TASK_DEFAULT_ROLE[task];
      if (!role) throw new Error(`${task} has no default role`);
      const pick = catalog.defaultFor(task);
      expect(pick.roles).toContain(role);
      expect(
        catalog
          .list()
          .filter((m) => m.task === task && m.default)
          .map((m) => m.id),
      ).toEqual([pick.id]);
    }
  });
});
