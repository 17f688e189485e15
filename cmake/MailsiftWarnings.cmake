# Warnings apply to our own targets only (never to third-party headers, which are SYSTEM includes).
option(MAILSIFT_WERROR "Treat warnings in mailsift code as errors" OFF)

function(mailsift_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
        -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
    if(MAILSIFT_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
