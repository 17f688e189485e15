# -DMAILSIFT_SANITIZE=address,undefined builds everything (plugins included) with those sanitizers.
set(MAILSIFT_SANITIZE "" CACHE STRING "Comma-separated sanitizers: address, undefined, thread, fuzzer-no-link")
if(MAILSIFT_SANITIZE)
    set(_flags "-fsanitize=${MAILSIFT_SANITIZE}" -fno-omit-frame-pointer -fno-sanitize-recover=all)
    add_compile_options(${_flags})
    add_link_options("-fsanitize=${MAILSIFT_SANITIZE}")
    message(STATUS "mailsift: sanitizers ${MAILSIFT_SANITIZE}")
endif()
