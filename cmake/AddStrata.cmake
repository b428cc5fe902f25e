#===- AddStrata.cmake - thin wrappers over MLIR's CMake helpers ----------===#
#
# Every Strata library is static and reaches MLIR only through libMLIR.so
# (mlir_target_link_libraries), so no binary mixes the dylib with libMLIR*.a.
#
#===----------------------------------------------------------------------===#

# add_strata_library(name SRCS... [DEPENDS tgt...] [LINK_LIBS lib...]
#                    [MLIR_LIBS MLIRFoo...])
function(add_strata_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS;MLIR_LIBS" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS})
  if(ARG_MLIR_LIBS)
    mlir_target_link_libraries(${name} PUBLIC ${ARG_MLIR_LIBS})
  endif()
endfunction()

# add_strata_tool(name SRCS... [LINK_LIBS lib...] [MLIR_LIBS MLIRFoo...])
function(add_strata_tool name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS;MLIR_LIBS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LINK_LIBS})
  mlir_target_link_libraries(${name} PRIVATE ${ARG_MLIR_LIBS})
endfunction()

# add_strata_dialect(Name prefix): ODS for <prefix>Ops.td into .inc files
# beside the build tree copy of the current folder.
function(add_strata_dialect dialect dialect_namespace)
  set(LLVM_TARGET_DEFINITIONS ${dialect}Ops.td)
  mlir_tablegen(${dialect}Ops.h.inc -gen-op-decls)
  mlir_tablegen(${dialect}Ops.cpp.inc -gen-op-defs)
  mlir_tablegen(${dialect}Dialect.h.inc -gen-dialect-decls
                -dialect=${dialect_namespace})
  mlir_tablegen(${dialect}Dialect.cpp.inc -gen-dialect-defs
                -dialect=${dialect_namespace})
  add_public_tablegen_target(${dialect}OpsIncGen)
endfunction()

# add_strata_passes(Name): Passes.td in the current folder -> Passes.h.inc.
function(add_strata_passes name)
  set(LLVM_TARGET_DEFINITIONS Passes.td)
  mlir_tablegen(Passes.h.inc -gen-pass-decls -name ${name})
  add_public_tablegen_target(${name}PassesIncGen)
endfunction()
