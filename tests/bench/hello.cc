// The start-up floor of tests/bench/startup.sh: the smallest C++ program, built by the same build
// with the same compiler and flags as the tools.
#include <iostream>

int main() {
  std::cout << "hello, world\n";
  return 0;
}
