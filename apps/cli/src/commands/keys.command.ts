import { KeyError, osPrincipal, ROLES } from '@fundsim/application';
import { UsageError, type Command } from '../command';

export const keysCommand: Command = {
  name: 'keys',
  writes: true,
  summary: 'API keys: create one (printed once), list them, revoke one; each is an event of the log',
  usage: 'fundsim keys create --role R [--subject ID] [--fund F] | keys list [--json] | keys revoke KEY_ID [--reason TEXT]',
  options: {
    role: { type: 'string', value: 'R', description: `role of a new key: ${ROLES.join(', ')}` },
    subject: { type: 'string', value: 'ID', description: 'who it acts as: the manager id, the LP id, or the platform (operator)' },
    fund: { type: 'string', value: 'F', description: 'for an lp key: the fund it is an LP of' },
    reason: { type: 'string', value: 'TEXT', description: 'why a key is revoked' },
    json: { type: 'boolean', description: 'print as JSON' },
  },
  async run(values, positionals, { keys, out }) {
    const [action, ...rest] = positionals;
    try {
      if (action === 'create' && rest.length === 0) {
        if (typeof values.role !== 'string') throw new UsageError('keys create needs --role');
        const issued = await keys.issue(
          values.role,
          typeof values.subject === 'string' ? values.subject : undefined,
          osPrincipal(),
          typeof values.fund === 'string' ? values.fund : undefined,
        );
        if (values.json) out(JSON.stringify(issued, null, 2));
        else out(`Key ${issued.keyId} (${issued.role} ${issued.subject}); shown this once, keep it secret:\n${issued.key}`);
        return 0;
      }
      if (action === 'list' && rest.length === 0) {
        const list = await keys.list();
        if (values.json) return (out(JSON.stringify(list, null, 2)), 0);
        out(`${list.length} keys, ${list.filter((k) => !k.revokedAt).length} live`);
        for (const k of list)
          out(
            `  ${k.keyId}  ${k.role.padEnd(8)} ${k.subject.padEnd(20)} issued ${k.issuedAt} by ${k.issuedBy}${k.revokedAt ? `; revoked ${k.revokedAt} by ${k.revokedBy}: ${k.reason}` : ''}`,
          );
        return 0;
      }
      if (action === 'revoke' && rest.length === 1) {
        const revoked = await keys.revoke(rest[0], typeof values.reason === 'string' ? values.reason : '', osPrincipal());
        out(`Revoked key ${revoked.keyId} (${revoked.role} ${revoked.subject}).`);
        return 0;
      }
    } catch (error) {
      if (error instanceof KeyError) throw new UsageError(error.message);
      throw error;
    }
    throw new UsageError(`usage: ${keysCommand.usage}`);
  },
};
