// Runs once before the suites: says up front which store contracts this run covers.
module.exports = async () => {
  const url = process.env.FUNDSIM_ESDB_URL;
  process.stdout.write(
    url
      ? `\nEventStoreDB contract suite: running against ${url}\n`
      : '\nEventStoreDB contract suite: SKIPPED (FUNDSIM_ESDB_URL is not set; e.g. FUNDSIM_ESDB_URL=esdb://localhost:2113?tls=false)\n',
  );
};
