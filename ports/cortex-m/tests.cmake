# The Cortex-M4 port's self-test under QEMU (ports/cortex-m/run), included
# by tests/CMakeLists.txt. Registered only where the cross tools exist;
# the image does not depend on how this build is compiled, so sanitizer
# and fuzzing builds do not run it a second time.
if(MBPF_SANITIZE OR MBPF_FUZZ)
  return()
endif()
find_program(MBPF_ARM_GCC arm-none-eabi-gcc)
find_program(MBPF_QEMU_ARM qemu-system-arm)
set(MBPF_PICOLIBC_SPECS picolibc.specs)
if(MBPF_ARM_GCC)
  execute_process(COMMAND ${MBPF_ARM_GCC} -print-file-name=picolibc.specs
                  OUTPUT_VARIABLE MBPF_PICOLIBC_SPECS OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
if(MBPF_ARM_GCC AND MBPF_QEMU_ARM AND NOT MBPF_PICOLIBC_SPECS STREQUAL "picolibc.specs")
  add_test(NAME port_cortex_m
           COMMAND ${PROJECT_SOURCE_DIR}/ports/cortex-m/run ${CMAKE_BINARY_DIR}/port-cortex-m)
  set_tests_properties(port_cortex_m PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
else()
  message(STATUS "port_cortex_m: not registered: needs gcc-arm-none-eabi, "
                 "picolibc-arm-none-eabi and qemu-system-arm (see docs/PORTING.md)")
endif()
