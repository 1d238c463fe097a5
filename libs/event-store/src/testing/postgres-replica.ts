import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { findPostgresBinaries, freePort, startPostgresCluster, type PostgresForTests } from './postgres-cluster';

/** A primary and a streaming replica of it, for the read-replica tests. */
export interface ReplicatedPostgres {
  primary: PostgresForTests;
  replica: PostgresForTests;
  /** Stops and resumes the replica's replay of the primary's WAL (it goes on receiving it): lag on demand. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  stop(): Promise<void>;
}

const REPLICATOR = 'fundsim_replicator';

async function sql(url: string, text: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * A primary and its replica as an operator sets them up: `wal_level=replica` on the primary, a
 * role with REPLICATION and a `pg_hba.conf` line letting it stream, `pg_basebackup -R` (which
 * writes `primary_conninfo` and `standby.signal`) into a second data directory, started as a hot
 * standby on a port of its own. FUNDSIM_PG_URL with FUNDSIM_PG_REPLICA_URL name a pair one
 * already has (the tests then cannot pause its replay: those cases need superuser on the replica).
 */
export async function replicatedPostgresForTests(): Promise<ReplicatedPostgres> {
  const given = { primary: process.env.FUNDSIM_PG_URL, replica: process.env.FUNDSIM_PG_REPLICA_URL };
  if (given.primary && given.replica) {
    const origin = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
    return {
      primary: { url: given.primary, origin: `FUNDSIM_PG_URL (${origin(given.primary)})`, stop: async () => undefined },
      replica: { url: given.replica, origin: `FUNDSIM_PG_REPLICA_URL (${origin(given.replica)})`, stop: async () => undefined },
      pauseReplay: () => sql(given.replica!, 'SELECT pg_wal_replay_pause()'),
      resumeReplay: () => sql(given.replica!, 'SELECT pg_wal_replay_resume()'),
      stop: async () => undefined,
    };
  }
  const bin = findPostgresBinaries();
  if (!bin || !existsSync(join(bin, 'pg_basebackup'))) {
    throw new Error(
      'The read-replica tests need initdb and pg_basebackup under /usr/lib/postgresql/*/bin (or $PG_BIN), or both FUNDSIM_PG_URL and FUNDSIM_PG_REPLICA_URL. ' +
        "Install Debian's postgresql (apt-get install postgresql; .ci/run does)",
    );
  }
  const primary = await startPostgresCluster(bin);
  const replicaData = join(primary.dir, 'replica');
  const stopReplica = (): void => {
    if (existsSync(join(replicaData, 'postmaster.pid'))) primary.run('pg_ctl', ['-D', replicaData, '-m', 'immediate', '-w', 'stop']);
  };
  process.once('exit', stopReplica);
  try {
    // PostgreSQL 15's defaults already stream (wal_level=replica, max_wal_senders=10): checked, not assumed.
    const check = new Client({ connectionString: primary.url });
    await check.connect();
    const level = (await check.query<{ wal_level: string }>('SHOW wal_level').then(
      (r) => r.rows[0].wal_level,
      (e: Error) => e.message,
    )) as string;
    await check.end();
    if (level !== 'replica' && level !== 'logical') throw new Error(`the primary runs wal_level=${level}: a streaming replica needs replica`);
    await sql(primary.url, `CREATE ROLE ${REPLICATOR} WITH REPLICATION LOGIN`);
    appendFileSync(join(primary.dir, 'data', 'pg_hba.conf'), `host replication ${REPLICATOR} 127.0.0.1/32 trust\n`);
    await sql(primary.url, 'SELECT pg_reload_conf()');
    primary.run('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      REPLICATOR,
      '-D',
      replicaData,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
    if (!readFileSync(join(replicaData, 'postgresql.auto.conf'), 'utf8').includes('primary_conninfo'))
      throw new Error('pg_basebackup -R wrote no primary_conninfo');
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const settings = `-p ${port} -k ${primary.dir} -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off`;
      try {
        primary.run('pg_ctl', ['-D', replicaData, '-l', join(primary.dir, 'replica.log'), '-o', settings, '-w', '-t', '60', 'start']);
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    const replicaUrl = `postgres://fundsim@127.0.0.1:${port}/postgres`;
    const stop = async (): Promise<void> => {
      process.removeListener('exit', stopReplica);
      try {
        stopReplica();
      } finally {
        await primary.stop();
      }
    };
    return {
      primary,
      replica: { url: replicaUrl, origin: `a streaming replica of it on port ${port}`, stop },
      pauseReplay: () => sql(replicaUrl, 'SELECT pg_wal_replay_pause()'),
      resumeReplay: () => sql(replicaUrl, 'SELECT pg_wal_replay_resume()'),
      stop,
    };
  } catch (error) {
    process.removeListener('exit', stopReplica);
    try {
      stopReplica();
    } catch {
      // the primary's stop below removes the directory anyway
    }
    await primary.stop();
    throw error;
  }
}
