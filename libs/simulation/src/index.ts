export {};
// The simulation (issue 5) builds here, on @fundsim/projections.
