// Runs a refresh task again and again, never two at once: run() during a run asks for one more run
// right after it. The task resolves with the delay until its next run (ms), or null to pause.

export function makePoller(task) {
  let timer = 0;
  let running = false;
  let again = false;
  let stopped = false;

  async function run() {
    clearTimeout(timer);
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    let delay = null;
    try {
      delay = await task();
    } finally {
      running = false;
    }
    if (stopped) return;
    if (again) {
      again = false;
      run();
    } else if (delay !== null && delay !== undefined) {
      timer = setTimeout(run, delay);
    }
  }

  return {
    run,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    get stopped() {
      return stopped;
    },
  };
}
