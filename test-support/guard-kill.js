// Loaded before every test file (jest.config.js, stryker.jest.config.js: setupFiles). Tests kill what
// their scripts left behind by pids read from files; a pid file that exists but is still empty reads as
// 0, and kill(0) signals the test's own process group. Under Stryker that group is the mutation run
// itself: one mutant that stopped a script early SIGKILLed a whole run. A test never has a reason to
// signal its own group, every process (-1), itself or its parent, so those calls throw instead.
const realKill = process.kill.bind(process);

process.kill = function guardedKill(pid, signal) {
  if (!Number.isInteger(pid) || pid === 0 || pid === -1 || Math.abs(pid) === process.pid || pid === process.ppid) {
    throw new Error(`test guard: refusing to signal pid ${pid} (the test's own process, group or parent, or every process)`);
  }
  return realKill(pid, signal);
};
