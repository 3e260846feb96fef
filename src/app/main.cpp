#include <cstdio>
#include <exception>

#include "app/cli.hpp"

int main(int argc, char** argv) {
  // Exceptions are for start-up failures only; anything that escapes is reported in one line.
  try {
    return ferr::app::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ferrlabs-api: fatal: %s\n", e.what());
    return 1;
  }
}
