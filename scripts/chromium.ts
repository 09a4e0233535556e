/**
 * How Signet's tests and benchmarks launch Debian's Chromium: no sandbox (root in CI), and no
 * background networking, which this machine's closed network would refuse many times a start.
 */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.SIGNET_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
