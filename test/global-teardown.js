// Stops the EventStoreDB container global-setup.js started, if it started one.
module.exports = async () => {
  await globalThis.__FUNDSIM_ESDB_CONTAINER__?.stop();
};
