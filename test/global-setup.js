// Runs once before the suites: finds an EventStoreDB for the store contract, and says up front
// which one this run covers. FUNDSIM_ESDB_URL names a server; without it, where a Docker engine
// answers, Testcontainers starts one of its own for this run (so no earlier run's streams, and no
// tamper test's forged stream, are in it); otherwise the suite says that it skipped, and why.
const IMAGE = 'eventstore/eventstore:24.10';

module.exports = async () => {
  if (process.env.FUNDSIM_ESDB_URL) {
    process.stdout.write(`\nEventStoreDB contract suite: running against ${process.env.FUNDSIM_ESDB_URL}\n`);
    return;
  }
  const { GenericContainer, Wait, getContainerRuntimeClient } = require('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    const reason = String(error && error.message).split('\n')[0];
    process.env.FUNDSIM_ESDB_SKIPPED = `FUNDSIM_ESDB_URL is not set and no Docker engine answers (${reason})`;
    process.stdout.write(`\nEventStoreDB contract suite: SKIPPED: ${process.env.FUNDSIM_ESDB_SKIPPED}; set FUNDSIM_ESDB_URL=esdb://host:2113?tls=false or run where Docker does\n`);
    return;
  }
  process.stdout.write(`\nEventStoreDB contract suite: starting ${IMAGE} with Testcontainers...\n`);
  // The settings of docker-compose.yml (EventStoreDB's documented single insecure node), in memory.
  const container = await new GenericContainer(IMAGE)
    .withEnvironment({
      EVENTSTORE_CLUSTER_SIZE: '1',
      EVENTSTORE_RUN_PROJECTIONS: 'All',
      EVENTSTORE_START_STANDARD_PROJECTIONS: 'true',
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_MEM_DB: 'true',
    })
    .withExposedPorts(2113)
    .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((status) => status >= 200 && status < 300))
    .withStartupTimeout(180_000)
    .start();
  process.env.FUNDSIM_ESDB_URL = `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
  process.env.FUNDSIM_ESDB_OWN_CONTAINER = '1';
  globalThis.__FUNDSIM_ESDB_CONTAINER__ = container;
  process.stdout.write(`EventStoreDB contract suite: running against ${process.env.FUNDSIM_ESDB_URL} (its own container)\n`);
};
