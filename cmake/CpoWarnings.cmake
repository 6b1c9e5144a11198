# cpo_target_warnings(target): the project's warning set, errors when CPO_WERROR is on (CI).
function(cpo_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual)
  if(CPO_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
