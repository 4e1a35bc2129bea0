// Start-up baseline: the runner subtracts this script's time from the others.
