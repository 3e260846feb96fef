#pragma once
/// The command line: `serve` (default), `migrate`, `gen-salt`, `version`.

namespace ferr::app {

/// Runs the command named by argv and returns the process exit status
/// (0 success, 1 failure, 2 invalid configuration or usage).
int run_cli(int argc, char** argv);

}  // namespace ferr::app
