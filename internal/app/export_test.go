package app

// ComputeProgressCold is computeProgress for the external benchmarks: the rollup without the
// cache.
var ComputeProgressCold = computeProgress
