// RUN: strata-opt %s --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(strata-spirv-attach-target{target=tpu})'

// expected-error @+1 {{unknown Vulkan target 'tpu' (known: desktop, lavapipe, minimal)}}
module {
}
