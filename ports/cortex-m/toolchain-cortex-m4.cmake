# CMake toolchain file for bare-metal Arm Cortex-M4 with Debian's
# gcc-arm-none-eabi and picolibc-arm-none-eabi.
#
# Soft-float ABI: the runtime libraries use no floating point, the same
# objects then run on an M4 with or without an FPU, and nothing has to
# enable the FPU (CPACR) before C code runs. The (future) engine's doubles
# would be software either way: the M4's FPU is single precision.
#
# picolibc.specs supplies only the headers and libc.a (memcpy & co.); the
# port brings its own startup code and linker script (-nostartfiles, -T).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_AR arm-none-eabi-ar)
set(CMAKE_RANLIB arm-none-eabi-ranlib)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy)
set(CMAKE_SIZE arm-none-eabi-size)

# Without an OS there is no executable to run at configure time: test
# compilations build static libraries instead of linking.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(MBPF_CM_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft")
# Sections per function and object let --gc-sections drop whatever the
# image does not call (the tools-only writers in the package library, for
# instance).
set(CMAKE_C_FLAGS_INIT
    "${MBPF_CM_CPU_FLAGS} --specs=picolibc.specs -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${MBPF_CM_CPU_FLAGS}")
# CMake links with the compile flags too (CPU and specs come from there).
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-nostartfiles -Wl,--gc-sections")
set(CMAKE_C_FLAGS_MINSIZEREL_INIT "-Os -g")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
