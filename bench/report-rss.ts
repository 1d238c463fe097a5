// Preloaded (node --require) into a measured child process: prints its peak RSS on exit.
process.on('exit', () => process.stderr.write(`peak-rss-kib ${process.resourceUsage().maxRSS}\n`));
