//===- VulkanDevice.cpp - compute pipelines through Vulkan ----------------===//
//
// Buffers live in device-local memory and move through a host-visible
// staging buffer. An executable is one SPIR-V module with an entry point
// per kernel; each kernel gets a pipeline (through the device's pipeline
// cache) whose descriptor set 0 holds its bindings in order, as storage
// buffers, and whose push-constant range holds its 32-bit push constants.
// A command buffer is one VkCommandBuffer, submitted with a fence; the
// core's barriers become pipeline barriers on compute and transfer.
//
// STRATA_VULKAN_DEVICE picks the physical device (an index, or part of its
// name); STRATA_VULKAN_VALIDATION=1 enables the Khronos validation layer,
// and any message it reports fails the call that caused it;
// STRATA_VULKAN_DISABLE_CAPABILITIES=Float16,... makes the device refuse
// code that needs them, as a device without them would.
//
//===----------------------------------------------------------------------===//

#include "runtime/devices/vulkan/VulkanDevice.h"
#include "runtime/devices/vulkan/VulkanLoader.h"
#include "runtime/src/EnvList.h"
#include "runtime/src/Status.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>

namespace strata::runtime {

namespace {

using vulkan::Api;
using vulkan::resultName;

/// A Vulkan info struct of type `type`, every other field zero.
template <typename T> T vkStruct(VkStructureType type) {
  T value{};
  value.sType = type;
  return value;
}

strata_status_t unsupported(const std::string &message) {
  return makeStatus(STRATA_STATUS_UNSUPPORTED, message);
}

/// A status for a failed Vulkan call: out of memory as such, a lost device
/// as a failed kernel.
strata_status_t failed(VkResult result, const std::string &what) {
  strata_status_code_t code = STRATA_STATUS_UNSUPPORTED;
  if (result == VK_ERROR_OUT_OF_DEVICE_MEMORY ||
      result == VK_ERROR_OUT_OF_HOST_MEMORY)
    code = STRATA_STATUS_OUT_OF_MEMORY;
  else if (result == VK_ERROR_DEVICE_LOST)
    code = STRATA_STATUS_KERNEL_FAILED;
  return makeStatus(code, what + " failed: " + resultName(result));
}

#define STRATA_VK_CHECK(call, what)                                            \
  do {                                                                         \
    VkResult result_ = (call);                                                 \
    if (result_ != VK_SUCCESS)                                                 \
      return failed(result_, what);                                            \
  } while (false)

/// The device features that kernels' SPIR-V capabilities need.
struct Features {
  bool int64 = false, float64 = false, int16 = false, int8 = false,
       float16 = false, storage16 = false, storage8 = false;
  VkSubgroupFeatureFlags subgroupOperations = 0;
  uint32_t subgroupSize = 0;
};

/// Everything the device's objects share; they keep it alive, so a buffer
/// or executable released after its device is still destroyed properly.
struct Context {
  Api api;
  VkInstance instance = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger = VK_NULL_HANDLE;
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  VkPhysicalDeviceProperties properties{};
  VkPhysicalDeviceMemoryProperties memory{};
  Features features;
  VkDevice device = VK_NULL_HANDLE;
  uint32_t queueFamily = 0;
  bool timestamps = false;
  VkQueue queue = VK_NULL_HANDLE;
  VkPipelineCache pipelineCache = VK_NULL_HANDLE;
  /// Guards the queue and the command pool, which Vulkan does not.
  std::mutex queueMutex;
  VkCommandPool commandPool = VK_NULL_HANDLE;
  /// What a binding of an empty tensor, which has no buffer, points to:
  /// room for the one element its kernel declares (and never touches).
  std::unique_ptr<struct Allocation> emptyBuffer;

  std::mutex messageMutex;
  std::vector<std::string> messages;

  ~Context() {
    // A device whose entry points failed to load cannot be destroyed.
    if (device && api.vkDestroyDevice) {
      api.vkDeviceWaitIdle(device);
      emptyBuffer.reset();
      if (commandPool)
        api.vkDestroyCommandPool(device, commandPool, nullptr);
      if (pipelineCache)
        api.vkDestroyPipelineCache(device, pipelineCache, nullptr);
      api.vkDestroyDevice(device, nullptr);
    }
    if (messenger)
      api.vkDestroyDebugUtilsMessengerEXT(instance, messenger, nullptr);
    if (instance && api.vkDestroyInstance)
      api.vkDestroyInstance(instance, nullptr);
  }

  /// The first validation message since the last call, as a status.
  strata_status_t validationStatus(const std::string &during) {
    std::lock_guard<std::mutex> lock(messageMutex);
    if (messages.empty())
      return nullptr;
    std::string message =
        "Vulkan validation (" + during + "): " + messages.front();
    if (messages.size() > 1)
      message += " (and " + std::to_string(messages.size() - 1) + " more)";
    messages.clear();
    return makeStatus(STRATA_STATUS_KERNEL_FAILED, message);
  }

  /// A memory type allowed by `typeBits` with all of `required`, or -1.
  int memoryType(uint32_t typeBits, VkMemoryPropertyFlags required) const {
    for (uint32_t i = 0; i < memory.memoryTypeCount; ++i)
      if ((typeBits & (1u << i)) &&
          (memory.memoryTypes[i].propertyFlags & required) == required)
        return static_cast<int>(i);
    return -1;
  }

};

VKAPI_ATTR VkBool32 VKAPI_CALL onValidationMessage(
    VkDebugUtilsMessageSeverityFlagBitsEXT, VkDebugUtilsMessageTypeFlagsEXT,
    const VkDebugUtilsMessengerCallbackDataEXT *data, void *user) {
  auto *context = static_cast<Context *>(user);
  std::lock_guard<std::mutex> lock(context->messageMutex);
  context->messages.push_back(data && data->pMessage ? data->pMessage
                                                     : "(no message)");
  return VK_FALSE;
}

/// A buffer and its memory, destroyed together, before their context.
struct Allocation {
  Context *context = nullptr;
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;

  Allocation() = default;
  Allocation(const Allocation &) = delete;
  Allocation &operator=(const Allocation &) = delete;
  ~Allocation() {
    if (buffer)
      context->api.vkDestroyBuffer(context->device, buffer, nullptr);
    if (memory)
      context->api.vkFreeMemory(context->device, memory, nullptr);
  }

  /// Creates a buffer of `size` bytes in memory with `preferred`
  /// properties, else with `fallback` ones.
  strata_status_t create(Context *owner, uint64_t size,
                         VkMemoryPropertyFlags preferred,
                         VkMemoryPropertyFlags fallback) {
    context = owner;
    const Api &api = context->api;
    // Vulkan has no empty buffers, and fills work on whole words.
    uint64_t bytes = std::max<uint64_t>(4, (size + 3) / 4 * 4);
    auto info =
        vkStruct<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
    info.size = bytes;
    info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                 VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                 VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    STRATA_VK_CHECK(
        api.vkCreateBuffer(context->device, &info, nullptr, &buffer),
        "vkCreateBuffer of " + std::to_string(size) + " bytes");
    VkMemoryRequirements requirements;
    api.vkGetBufferMemoryRequirements(context->device, buffer, &requirements);
    int type = context->memoryType(requirements.memoryTypeBits, preferred);
    if (type < 0)
      type = context->memoryType(requirements.memoryTypeBits, fallback);
    if (type < 0)
      return unsupported("no memory type for a buffer of " +
                         std::to_string(size) + " bytes");
    auto allocate =
        vkStruct<VkMemoryAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO);
    allocate.allocationSize = requirements.size;
    allocate.memoryTypeIndex = static_cast<uint32_t>(type);
    STRATA_VK_CHECK(
        api.vkAllocateMemory(context->device, &allocate, nullptr, &memory),
        "allocating " + std::to_string(size) + " bytes of device memory");
    STRATA_VK_CHECK(api.vkBindBufferMemory(context->device, buffer, memory, 0),
                    "vkBindBufferMemory");
    return nullptr;
  }
};

class VulkanBuffer : public Buffer {
public:
  VulkanBuffer(uint64_t size, std::shared_ptr<Context> context)
      : Buffer(size), context(std::move(context)) {}
  std::shared_ptr<Context> context;
  Allocation allocation;
};

VkBuffer handleOf(const Binding &binding) {
  return static_cast<VulkanBuffer *>(binding.buffer)->allocation.buffer;
}

struct Kernel {
  std::string name;
  uint32_t bindings = 0, pushConstants = 0;
  VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  VkPipeline pipeline = VK_NULL_HANDLE;
};

class VulkanExecutable : public Executable {
public:
  explicit VulkanExecutable(std::shared_ptr<Context> owner)
      : context(std::move(owner)) {}
  ~VulkanExecutable() override {
    const Api &api = context->api;
    for (Kernel &kernel : kernels) {
      if (kernel.pipeline)
        api.vkDestroyPipeline(context->device, kernel.pipeline, nullptr);
      if (kernel.layout)
        api.vkDestroyPipelineLayout(context->device, kernel.layout, nullptr);
      if (kernel.setLayout)
        api.vkDestroyDescriptorSetLayout(context->device, kernel.setLayout,
                                         nullptr);
    }
    if (module)
      api.vkDestroyShaderModule(context->device, module, nullptr);
  }

  /// Creates the pipeline of `kernel`, whose bindings and push constants
  /// are set.
  strata_status_t createPipeline(Kernel &kernel) {
    const Api &api = context->api;
    std::vector<VkDescriptorSetLayoutBinding> bindings(kernel.bindings);
    for (uint32_t i = 0; i < kernel.bindings; ++i) {
      bindings[i].binding = i;
      bindings[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      bindings[i].descriptorCount = 1;
      bindings[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    }
    auto setInfo = vkStruct<VkDescriptorSetLayoutCreateInfo>(
        VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO);
    setInfo.bindingCount = kernel.bindings;
    setInfo.pBindings = bindings.data();
    STRATA_VK_CHECK(api.vkCreateDescriptorSetLayout(context->device, &setInfo,
                                                    nullptr, &kernel.setLayout),
                    "vkCreateDescriptorSetLayout");
    VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0,
                              kernel.pushConstants * 4};
    auto layoutInfo = vkStruct<VkPipelineLayoutCreateInfo>(
        VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO);
    layoutInfo.setLayoutCount = 1;
    layoutInfo.pSetLayouts = &kernel.setLayout;
    layoutInfo.pushConstantRangeCount = kernel.pushConstants ? 1 : 0;
    layoutInfo.pPushConstantRanges = &range;
    STRATA_VK_CHECK(api.vkCreatePipelineLayout(context->device, &layoutInfo,
                                               nullptr, &kernel.layout),
                    "vkCreatePipelineLayout");
    auto info = vkStruct<VkComputePipelineCreateInfo>(
        VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO);
    info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    info.stage.module = module;
    info.stage.pName = kernel.name.c_str();
    info.layout = kernel.layout;
    VkResult result =
        api.vkCreateComputePipelines(context->device, context->pipelineCache, 1,
                                     &info, nullptr, &kernel.pipeline);
    if (result != VK_SUCCESS)
      return failed(result,
                    "creating the pipeline of kernel '" + kernel.name + "'");
    return nullptr;
  }

  std::shared_ptr<Context> context;
  VkShaderModule module = VK_NULL_HANDLE;
  std::vector<Kernel> kernels;
};

/// Timestamps of the commands of one submission, when tracing.
constexpr uint32_t kMaxTracedCommands = 4096;

class VulkanCommandBuffer : public CommandBuffer {
public:
  explicit VulkanCommandBuffer(std::shared_ptr<Context> owner, bool trace)
      : context(std::move(owner)), tracing(trace && context->timestamps) {}

  ~VulkanCommandBuffer() override {
    const Api &api = context->api;
    if (queries)
      api.vkDestroyQueryPool(context->device, queries, nullptr);
    for (VkDescriptorPool pool : pools)
      api.vkDestroyDescriptorPool(context->device, pool, nullptr);
    if (fence)
      api.vkDestroyFence(context->device, fence, nullptr);
    if (commands) {
      std::lock_guard<std::mutex> lock(context->queueMutex);
      api.vkFreeCommandBuffers(context->device, context->commandPool, 1,
                               &commands);
    }
  }

  strata_status_t begin() {
    const Api &api = context->api;
    {
      std::lock_guard<std::mutex> lock(context->queueMutex);
      auto allocate = vkStruct<VkCommandBufferAllocateInfo>(
          VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
      allocate.commandPool = context->commandPool;
      allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
      allocate.commandBufferCount = 1;
      STRATA_VK_CHECK(
          api.vkAllocateCommandBuffers(context->device, &allocate, &commands),
          "vkAllocateCommandBuffers");
    }
    auto fenceInfo =
        vkStruct<VkFenceCreateInfo>(VK_STRUCTURE_TYPE_FENCE_CREATE_INFO);
    STRATA_VK_CHECK(
        api.vkCreateFence(context->device, &fenceInfo, nullptr, &fence),
        "vkCreateFence");
    auto info = vkStruct<VkCommandBufferBeginInfo>(
        VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
    info.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    STRATA_VK_CHECK(api.vkBeginCommandBuffer(commands, &info),
                    "vkBeginCommandBuffer");
    if (tracing) {
      auto queryInfo = vkStruct<VkQueryPoolCreateInfo>(
          VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO);
      queryInfo.queryType = VK_QUERY_TYPE_TIMESTAMP;
      queryInfo.queryCount = 2 * kMaxTracedCommands;
      STRATA_VK_CHECK(
          api.vkCreateQueryPool(context->device, &queryInfo, nullptr, &queries),
          "vkCreateQueryPool");
      api.vkCmdResetQueryPool(commands, queries, 0, queryInfo.queryCount);
    }
    return nullptr;
  }

  strata_status_t dispatch(Executable &executable, uint32_t index,
                           const uint32_t workgroups[3],
                           const std::vector<Binding> &bindings,
                           const std::vector<uint32_t> &pushConstants,
                           const std::string &label) override {
    const Api &api = context->api;
    const Kernel &kernel =
        static_cast<VulkanExecutable &>(executable).kernels[index];
    const VkPhysicalDeviceLimits &limits = context->properties.limits;
    for (int d = 0; d < 3; ++d)
      if (workgroups[d] > limits.maxComputeWorkGroupCount[d])
        return unsupported(std::to_string(workgroups[d]) +
                           " workgroups in dimension " + std::to_string(d) +
                           " exceed the device's limit of " +
                           std::to_string(limits.maxComputeWorkGroupCount[d]));
    VkDescriptorSet set = VK_NULL_HANDLE;
    if (strata_status_t status = allocateSet(kernel, &set))
      return status;
    std::vector<VkDescriptorBufferInfo> infos(bindings.size());
    std::vector<VkWriteDescriptorSet> writes(bindings.size());
    for (size_t i = 0; i < bindings.size(); ++i) {
      if (bindings[i].offset % limits.minStorageBufferOffsetAlignment)
        return unsupported(
            "binding " + std::to_string(i) + " starts at byte " +
            std::to_string(bindings[i].offset) +
            ", not a multiple of the device's storage-buffer "
            "offset alignment " +
            std::to_string(limits.minStorageBufferOffsetAlignment));
      // An empty tensor has no bytes (maybe no buffer); the kernel never
      // touches it, and Vulkan wants a range inside a buffer.
      bool empty = bindings[i].length == 0;
      infos[i].buffer =
          empty ? context->emptyBuffer->buffer : handleOf(bindings[i]);
      infos[i].offset = empty ? 0 : bindings[i].offset;
      infos[i].range = empty ? VK_WHOLE_SIZE : bindings[i].length;
      writes[i].sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
      writes[i].dstSet = set;
      writes[i].dstBinding = static_cast<uint32_t>(i);
      writes[i].descriptorCount = 1;
      writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      writes[i].pBufferInfo = &infos[i];
    }
    api.vkUpdateDescriptorSets(context->device,
                               static_cast<uint32_t>(writes.size()),
                               writes.data(), 0, nullptr);
    beginCommand(label, "dispatch");
    api.vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_COMPUTE,
                          kernel.pipeline);
    api.vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_COMPUTE,
                                kernel.layout, 0, 1, &set, 0, nullptr);
    if (!pushConstants.empty())
      api.vkCmdPushConstants(commands, kernel.layout,
                             VK_SHADER_STAGE_COMPUTE_BIT, 0,
                             static_cast<uint32_t>(pushConstants.size() * 4),
                             pushConstants.data());
    api.vkCmdDispatch(commands, workgroups[0], workgroups[1], workgroups[2]);
    endCommand();
    return nullptr;
  }

  strata_status_t copy(const Binding &src, const Binding &dst,
                       const std::string &label) override {
    if (src.length == 0)
      return nullptr;
    beginCommand(label, "copy");
    VkBufferCopy region{src.offset, dst.offset, src.length};
    context->api.vkCmdCopyBuffer(commands, handleOf(src), handleOf(dst), 1,
                                 &region);
    endCommand();
    return nullptr;
  }

  strata_status_t fill(const Binding &dst, uint32_t pattern,
                       const std::string &label) override {
    if (dst.length == 0)
      return nullptr;
    if (dst.offset % 4 || dst.length % 4)
      return unsupported("a fill of " + std::to_string(dst.length) +
                         " bytes at byte " + std::to_string(dst.offset) +
                         " is not in whole 4-byte words");
    beginCommand(label, "fill");
    context->api.vkCmdFillBuffer(commands, handleOf(dst), dst.offset,
                                 dst.length, pattern);
    endCommand();
    return nullptr;
  }

  void barrier() override {
    auto memory = vkStruct<VkMemoryBarrier>(VK_STRUCTURE_TYPE_MEMORY_BARRIER);
    memory.srcAccessMask =
        VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    memory.dstAccessMask =
        VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
        VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    VkPipelineStageFlags stages =
        VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
    context->api.vkCmdPipelineBarrier(commands, stages, stages, 0, 1, &memory,
                                      0, nullptr, 0, nullptr);
  }

  VkCommandBuffer handle() const { return commands; }

  /// Runs the recorded commands and waits for them; then traces them, if
  /// asked, from their timestamps. `during` names the work in validation
  /// messages.
  strata_status_t submit(Device &device, const char *during = "running") {
    const Api &api = context->api;
    STRATA_VK_CHECK(api.vkEndCommandBuffer(commands), "vkEndCommandBuffer");
    uint64_t submitted = traceClockUs();
    {
      std::lock_guard<std::mutex> lock(context->queueMutex);
      auto info = vkStruct<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO);
      info.commandBufferCount = 1;
      info.pCommandBuffers = &commands;
      STRATA_VK_CHECK(api.vkQueueSubmit(context->queue, 1, &info, fence),
                      "vkQueueSubmit");
    }
    STRATA_VK_CHECK(
        api.vkWaitForFences(context->device, 1, &fence, VK_TRUE, UINT64_MAX),
        "waiting for the device");
    if (strata_status_t status = context->validationStatus(during))
      return status;
    if (!tracing || labels.empty())
      return nullptr;
    std::vector<uint64_t> ticks(2 * labels.size());
    STRATA_VK_CHECK(
        api.vkGetQueryPoolResults(
            context->device, queries, 0, static_cast<uint32_t>(ticks.size()),
            ticks.size() * sizeof(uint64_t), ticks.data(), sizeof(uint64_t),
            VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
        "reading timestamps");
    // Device ticks, placed on the host clock from the submission on.
    double usPerTick = context->properties.limits.timestampPeriod / 1000.0;
    for (size_t i = 0; i < labels.size(); ++i) {
      uint64_t start = ticks[2 * i] - ticks[0], end = ticks[2 * i + 1];
      device.record({labels[i].first, labels[i].second,
                     submitted + static_cast<uint64_t>(start * usPerTick),
                     end > ticks[2 * i] ? static_cast<uint64_t>(
                                              (end - ticks[2 * i]) * usPerTick)
                                        : 0});
    }
    return nullptr;
  }

private:
  void beginCommand(const std::string &label, const char *category) {
    if (!tracing || labels.size() >= kMaxTracedCommands)
      return;
    labels.emplace_back(label, category);
    context->api.vkCmdWriteTimestamp(
        commands, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, queries,
        static_cast<uint32_t>(2 * (labels.size() - 1)));
  }
  void endCommand() {
    if (!tracing || labels.empty() || ended == labels.size())
      return;
    ended = labels.size();
    context->api.vkCmdWriteTimestamp(
        commands, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, queries,
        static_cast<uint32_t>(2 * labels.size() - 1));
  }

  /// A descriptor set for `kernel` from the current pool, or a new pool.
  strata_status_t allocateSet(const Kernel &kernel, VkDescriptorSet *set) {
    const Api &api = context->api;
    auto info = vkStruct<VkDescriptorSetAllocateInfo>(
        VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO);
    info.descriptorSetCount = 1;
    info.pSetLayouts = &kernel.setLayout;
    if (!pools.empty()) {
      info.descriptorPool = pools.back();
      if (api.vkAllocateDescriptorSets(context->device, &info, set) ==
          VK_SUCCESS)
        return nullptr;
    }
    constexpr uint32_t kSetsPerPool = 256;
    VkDescriptorPoolSize size{
        VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
        std::max<uint32_t>(kSetsPerPool * 8, kernel.bindings)};
    auto poolInfo = vkStruct<VkDescriptorPoolCreateInfo>(
        VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO);
    poolInfo.maxSets = kSetsPerPool;
    poolInfo.poolSizeCount = 1;
    poolInfo.pPoolSizes = &size;
    VkDescriptorPool pool;
    STRATA_VK_CHECK(
        api.vkCreateDescriptorPool(context->device, &poolInfo, nullptr, &pool),
        "vkCreateDescriptorPool");
    pools.push_back(pool);
    info.descriptorPool = pool;
    STRATA_VK_CHECK(api.vkAllocateDescriptorSets(context->device, &info, set),
                    "vkAllocateDescriptorSets");
    return nullptr;
  }

  std::shared_ptr<Context> context;
  bool tracing;
  VkCommandBuffer commands = VK_NULL_HANDLE;
  VkFence fence = VK_NULL_HANDLE;
  VkQueryPool queries = VK_NULL_HANDLE;
  std::vector<VkDescriptorPool> pools;
  std::vector<std::pair<std::string, const char *>> labels;
  size_t ended = 0;
};

/// Whether the device has what SPIR-V capability `capability` needs;
/// nullopt for a capability this runtime does not know.
std::optional<bool> hasCapability(const Features &features,
                                  const std::string &capability) {
  auto subgroup = [&](VkSubgroupFeatureFlags operation) {
    return (features.subgroupOperations & operation) == operation;
  };
  if (capability == "Shader" || capability == "Matrix")
    return true;
  if (capability == "Int64")
    return features.int64;
  if (capability == "Float64")
    return features.float64;
  if (capability == "Int16")
    return features.int16;
  if (capability == "Int8")
    return features.int8;
  if (capability == "Float16")
    return features.float16;
  if (capability == "StorageBuffer16BitAccess")
    return features.storage16;
  if (capability == "StorageBuffer8BitAccess")
    return features.storage8;
  if (capability == "GroupNonUniform")
    return subgroup(VK_SUBGROUP_FEATURE_BASIC_BIT);
  if (capability == "GroupNonUniformArithmetic")
    return subgroup(VK_SUBGROUP_FEATURE_ARITHMETIC_BIT);
  if (capability == "GroupNonUniformBallot")
    return subgroup(VK_SUBGROUP_FEATURE_BALLOT_BIT);
  if (capability == "GroupNonUniformShuffle")
    return subgroup(VK_SUBGROUP_FEATURE_SHUFFLE_BIT);
  if (capability == "GroupNonUniformVote")
    return subgroup(VK_SUBGROUP_FEATURE_VOTE_BIT);
  return std::nullopt;
}

std::string lower(std::string text) {
  for (char &c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

class VulkanDevice : public Device {
public:
  explicit VulkanDevice(std::shared_ptr<Context> context)
      : context(std::move(context)) {}

  const char *name() const override { return "vulkan"; }

  strata_status_t getOption(const std::string &key,
                            std::string *value) const override {
    if (key == "name") {
      *value = context->properties.deviceName;
      return nullptr;
    }
    return Device::getOption(key, value);
  }

  Stats stats() const override {
    return {{"subgroup_size", context->features.subgroupSize}};
  }

  size_t maxPushConstants() const override {
    return context->properties.limits.maxPushConstantsSize / 4;
  }

  strata_status_t loadExecutable(const artifact::ExecutableSpec &spec,
                                 const uint8_t *blob, size_t size,
                                 std::unique_ptr<Executable> *out) override {
    if (strata_status_t status = checkFormat(spec, "spirv"))
      return status;
    // An executable without kernels (a schedule of copies only) is empty.
    if (spec.kernels.empty() && size == 0) {
      *out = std::make_unique<VulkanExecutable>(context);
      return nullptr;
    }
    constexpr uint32_t kSpirvMagic = 0x07230203;
    uint32_t header[2] = {0, 0};
    if (size < 20 || size % 4)
      return unsupported("blob is not a SPIR-V module (" +
                         std::to_string(size) + " bytes)");
    std::memcpy(header, blob, sizeof(header));
    if (header[0] != kSpirvMagic)
      return unsupported("blob is not a SPIR-V module (bad magic)");
    if (strata_status_t status = checkTarget(spec, header[1]))
      return status;
    auto executable = std::make_unique<VulkanExecutable>(context);
    const Api &api = context->api;
    // The blob's alignment is the artifact's; Vulkan wants words.
    std::vector<uint32_t> words(size / 4);
    std::memcpy(words.data(), blob, size);
    auto info = vkStruct<VkShaderModuleCreateInfo>(
        VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO);
    info.codeSize = size;
    info.pCode = words.data();
    STRATA_VK_CHECK(api.vkCreateShaderModule(context->device, &info, nullptr,
                                             &executable->module),
                    "vkCreateShaderModule");
    for (const artifact::KernelSpec &spec : spec.kernels) {
      if (strata_status_t status = checkKernel(spec))
        return status;
      Kernel &kernel = executable->kernels.emplace_back();
      kernel.name = spec.symbol;
      kernel.bindings = static_cast<uint32_t>(spec.bindings.size());
      kernel.pushConstants = spec.pushConstants;
      if (strata_status_t status = executable->createPipeline(kernel))
        return status;
    }
    if (strata_status_t status = context->validationStatus("loading"))
      return status;
    *out = std::move(executable);
    return nullptr;
  }

  strata_status_t allocate(uint64_t size, artifact::MemoryKind memory,
                           std::unique_ptr<Buffer> *out) override {
    auto buffer = std::make_unique<VulkanBuffer>(size, context);
    VkMemoryPropertyFlags hostVisible = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                        VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    VkMemoryPropertyFlags preferred = memory == artifact::MemoryKind::Host
                                          ? hostVisible
                                          : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
    if (strata_status_t status =
            buffer->allocation.create(context.get(), size, preferred, 0))
      return status;
    *out = std::move(buffer);
    return nullptr;
  }

  /// Kernels read device memory only; the core stages host memory.
  strata_status_t wrapHostMemory(void *, uint64_t,
                                 std::unique_ptr<Buffer> *) override {
    return nullptr;
  }

  strata_status_t upload(const Binding &dst, const void *data) override {
    return transfer(dst, const_cast<void *>(data), /*toDevice=*/true);
  }

  strata_status_t download(const Binding &src, void *data) override {
    return transfer(src, data, /*toDevice=*/false);
  }

  strata_status_t
  createCommandBuffer(std::unique_ptr<CommandBuffer> *out) override {
    auto commands = std::make_unique<VulkanCommandBuffer>(context, tracing());
    if (strata_status_t status = commands->begin())
      return status;
    *out = std::move(commands);
    return nullptr;
  }

  strata_status_t submit(CommandBuffer &commands) override {
    return static_cast<VulkanCommandBuffer &>(commands).submit(*this);
  }

private:
  /// Refuses code for SPIR-V versions or capabilities the device lacks.
  strata_status_t checkTarget(const artifact::ExecutableSpec &spec,
                              uint32_t version) {
    uint32_t api = context->properties.apiVersion;
    // Vulkan 1.0 takes SPIR-V 1.0, 1.1 up to 1.3, 1.2 up to 1.5, 1.3 1.6.
    uint32_t minor = VK_API_VERSION_MINOR(api);
    uint32_t maxSpirv = minor == 0 ? 0 : minor == 1 ? 3 : minor == 2 ? 5 : 6;
    uint32_t spirvMinor = (version >> 8) & 0xff;
    std::string device =
        std::string("this device (") + context->properties.deviceName + ")";
    std::string target = spec.processor.empty()
                             ? std::string("the artifact")
                             : "the artifact (built for --target-option="
                               "vulkan-target=" +
                                   spec.processor + ")";
    if (spirvMinor > maxSpirv)
      return unsupported(
          target + " uses SPIR-V 1." + std::to_string(spirvMinor) + ", which " +
          device + " with Vulkan 1." + std::to_string(minor) + " cannot run");
    for (const std::string &capability : spec.features) {
      std::optional<bool> present =
          hasCapability(context->features, capability);
      if (listedInEnv("STRATA_VULKAN_DISABLE_CAPABILITIES", capability))
        present = false;
      if (!present)
        return unsupported(target + " needs the SPIR-V capability '" +
                           capability + "', which this runtime cannot check");
      if (!*present)
        return unsupported(target + " needs the SPIR-V capability '" +
                           capability + "', which " + device +
                           " lacks; recompile for it");
    }
    return nullptr;
  }

  strata_status_t checkKernel(const artifact::KernelSpec &kernel) {
    const VkPhysicalDeviceLimits &limits = context->properties.limits;
    uint64_t invocations = 1;
    for (int d = 0; d < 3; ++d) {
      invocations *= kernel.workgroupSize[d];
      if (kernel.workgroupSize[d] > limits.maxComputeWorkGroupSize[d])
        return unsupported("kernel '" + kernel.name + "': workgroup size " +
                           std::to_string(kernel.workgroupSize[d]) +
                           " in dimension " + std::to_string(d) +
                           " exceeds the device's limit of " +
                           std::to_string(limits.maxComputeWorkGroupSize[d]));
    }
    if (invocations > limits.maxComputeWorkGroupInvocations)
      return unsupported("kernel '" + kernel.name +
                         "': " + std::to_string(invocations) +
                         " invocations per workgroup exceed the device's "
                         "limit of " +
                         std::to_string(limits.maxComputeWorkGroupInvocations));
    if (kernel.sharedMemory > limits.maxComputeSharedMemorySize)
      return unsupported("kernel '" + kernel.name +
                         "': " + std::to_string(kernel.sharedMemory) +
                         " bytes of workgroup memory exceed the device's " +
                         std::to_string(limits.maxComputeSharedMemorySize));
    if (kernel.bindings.size() > limits.maxPerStageDescriptorStorageBuffers)
      return unsupported(
          "kernel '" + kernel.name +
          "': " + std::to_string(kernel.bindings.size()) +
          " bindings exceed the device's limit of " +
          std::to_string(limits.maxPerStageDescriptorStorageBuffers));
    return nullptr;
  }

  /// Moves `binding`'s bytes between `data` and the device through the
  /// staging buffer, which stays mapped and grows to the largest transfer.
  strata_status_t transfer(const Binding &binding, void *data, bool toDevice) {
    if (binding.length == 0)
      return nullptr;
    const Api &api = context->api;
    std::lock_guard<std::mutex> lock(stagingMutex);
    if (!staging || stagingSize < binding.length) {
      staging.reset();
      auto grown = std::make_unique<Allocation>();
      VkMemoryPropertyFlags hostVisible = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                          VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
      if (strata_status_t status = grown->create(
              context.get(), binding.length, hostVisible, hostVisible))
        return status;
      STRATA_VK_CHECK(api.vkMapMemory(context->device, grown->memory, 0,
                                      VK_WHOLE_SIZE, 0, &stagingData),
                      "vkMapMemory");
      staging = std::move(grown);
      stagingSize = binding.length;
    }
    if (toDevice)
      std::memcpy(stagingData, data, binding.length);
    VulkanCommandBuffer commands(context, /*trace=*/false);
    if (strata_status_t status = commands.begin())
      return status;
    VkBufferCopy region{toDevice ? 0 : binding.offset,
                        toDevice ? binding.offset : 0, binding.length};
    VkBuffer device = handleOf(binding);
    api.vkCmdCopyBuffer(commands.handle(), toDevice ? staging->buffer : device,
                        toDevice ? device : staging->buffer, 1, &region);
    if (strata_status_t status =
            commands.submit(*this, toDevice ? "upload" : "download"))
      return status;
    if (!toDevice)
      std::memcpy(data, stagingData, binding.length);
    return nullptr;
  }

  std::shared_ptr<Context> context;
  /// Host-visible memory for uploads and downloads (freed, and so
  /// unmapped, before the context).
  std::mutex stagingMutex;
  std::unique_ptr<Allocation> staging;
  uint64_t stagingSize = 0;
  void *stagingData = nullptr;
};

/// The instance, with the validation layer when STRATA_VULKAN_VALIDATION=1.
strata_status_t createInstance(Context &context) {
  Api &api = context.api;
  const char *validation = std::getenv("STRATA_VULKAN_VALIDATION");
  bool validate = validation && std::strcmp(validation, "1") == 0;
  const char *layer = "VK_LAYER_KHRONOS_validation";
  const char *extension = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
  if (validate) {
    uint32_t count = 0;
    api.vkEnumerateInstanceLayerProperties(&count, nullptr);
    std::vector<VkLayerProperties> layers(count);
    api.vkEnumerateInstanceLayerProperties(&count, layers.data());
    if (std::none_of(layers.begin(), layers.end(),
                     [&](const VkLayerProperties &p) {
                       return std::strcmp(p.layerName, layer) == 0;
                     }))
      return unsupported("STRATA_VULKAN_VALIDATION=1, but the layer "
                         "VK_LAYER_KHRONOS_validation is not installed "
                         "(vulkan-validationlayers)");
  }
  auto app = vkStruct<VkApplicationInfo>(VK_STRUCTURE_TYPE_APPLICATION_INFO);
  app.pApplicationName = "strata";
  app.apiVersion = VK_API_VERSION_1_2;
  auto info =
      vkStruct<VkInstanceCreateInfo>(VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO);
  info.pApplicationInfo = &app;
  auto messenger = vkStruct<VkDebugUtilsMessengerCreateInfoEXT>(
      VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT);
  messenger.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                              VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  messenger.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                          VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT;
  messenger.pfnUserCallback = onValidationMessage;
  messenger.pUserData = &context;
  if (validate) {
    info.enabledLayerCount = 1;
    info.ppEnabledLayerNames = &layer;
    info.enabledExtensionCount = 1;
    info.ppEnabledExtensionNames = &extension;
    info.pNext = &messenger;
  }
  VkResult result = api.vkCreateInstance(&info, nullptr, &context.instance);
  if (result == VK_ERROR_INCOMPATIBLE_DRIVER)
    return unsupported("no Vulkan driver (ICD) found; install "
                       "mesa-vulkan-drivers for lavapipe, or a GPU's driver");
  STRATA_VK_CHECK(result, "vkCreateInstance");
  std::string error;
  if (!api.loadInstance(context.instance, validate, &error))
    return unsupported(error);
  if (validate)
    STRATA_VK_CHECK(api.vkCreateDebugUtilsMessengerEXT(context.instance,
                                                       &messenger, nullptr,
                                                       &context.messenger),
                    "vkCreateDebugUtilsMessengerEXT");
  return nullptr;
}

/// The physical device STRATA_VULKAN_DEVICE names (an index or part of a
/// name), else the first discrete GPU, else integrated, else any.
strata_status_t pickPhysicalDevice(Context &context) {
  Api &api = context.api;
  uint32_t count = 0;
  STRATA_VK_CHECK(
      api.vkEnumeratePhysicalDevices(context.instance, &count, nullptr),
      "vkEnumeratePhysicalDevices");
  std::vector<VkPhysicalDevice> devices(count);
  STRATA_VK_CHECK(
      api.vkEnumeratePhysicalDevices(context.instance, &count, devices.data()),
      "vkEnumeratePhysicalDevices");
  if (devices.empty())
    return unsupported("no Vulkan device found; install mesa-vulkan-drivers "
                       "for lavapipe, or a GPU's driver");
  std::vector<VkPhysicalDeviceProperties> properties(count);
  std::string names;
  for (uint32_t i = 0; i < count; ++i) {
    api.vkGetPhysicalDeviceProperties(devices[i], &properties[i]);
    names +=
        (i ? ", " : "") + std::to_string(i) + ": " + properties[i].deviceName;
  }
  int chosen = -1;
  const char *wanted = std::getenv("STRATA_VULKAN_DEVICE");
  if (wanted && *wanted) {
    char *end = nullptr;
    unsigned long index = std::strtoul(wanted, &end, 10);
    if (*end == '\0' && index < count)
      chosen = static_cast<int>(index);
    for (uint32_t i = 0; chosen < 0 && i < count; ++i)
      if (lower(properties[i].deviceName).find(lower(wanted)) !=
          std::string::npos)
        chosen = static_cast<int>(i);
    if (chosen < 0)
      return unsupported(std::string("STRATA_VULKAN_DEVICE='") + wanted +
                         "' names none of the Vulkan devices (" + names + ")");
  } else {
    for (VkPhysicalDeviceType type :
         {VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU,
          VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU,
          VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU, VK_PHYSICAL_DEVICE_TYPE_CPU,
          VK_PHYSICAL_DEVICE_TYPE_OTHER})
      for (uint32_t i = 0; chosen < 0 && i < count; ++i)
        if (properties[i].deviceType == type)
          chosen = static_cast<int>(i);
  }
  context.physical = devices[chosen];
  context.properties = properties[chosen];
  if (VK_API_VERSION_MINOR(context.properties.apiVersion) < 1 &&
      VK_API_VERSION_MAJOR(context.properties.apiVersion) == 1)
    return unsupported(std::string("Vulkan device '") +
                       context.properties.deviceName +
                       "' supports only Vulkan 1.0; Strata needs 1.1");
  return nullptr;
}

/// The logical device with a compute queue and every feature kernels may
/// use that the device has.
strata_status_t createLogicalDevice(Context &context) {
  Api &api = context.api;
  api.vkGetPhysicalDeviceMemoryProperties(context.physical, &context.memory);
  uint32_t count = 0;
  api.vkGetPhysicalDeviceQueueFamilyProperties(context.physical, &count,
                                               nullptr);
  std::vector<VkQueueFamilyProperties> families(count);
  api.vkGetPhysicalDeviceQueueFamilyProperties(context.physical, &count,
                                               families.data());
  int family = -1;
  for (uint32_t i = 0; i < count && family < 0; ++i)
    if (families[i].queueFlags & VK_QUEUE_COMPUTE_BIT)
      family = static_cast<int>(i);
  if (family < 0)
    return unsupported(std::string("Vulkan device '") +
                       context.properties.deviceName +
                       "' has no compute queue");
  context.queueFamily = static_cast<uint32_t>(family);
  context.timestamps = families[family].timestampValidBits > 0;

  bool v12 = VK_API_VERSION_MINOR(context.properties.apiVersion) >= 2;
  auto features12 = vkStruct<VkPhysicalDeviceVulkan12Features>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES);
  auto storage16 = vkStruct<VkPhysicalDevice16BitStorageFeatures>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES);
  storage16.pNext = v12 ? &features12 : nullptr;
  auto features = vkStruct<VkPhysicalDeviceFeatures2>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2);
  features.pNext = &storage16;
  api.vkGetPhysicalDeviceFeatures2(context.physical, &features);
  // Only what kernels use is enabled: the rest stays off.
  auto enabled = vkStruct<VkPhysicalDeviceFeatures2>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2);
  enabled.features.shaderInt64 = features.features.shaderInt64;
  enabled.features.shaderFloat64 = features.features.shaderFloat64;
  enabled.features.shaderInt16 = features.features.shaderInt16;
  auto enabled16 = vkStruct<VkPhysicalDevice16BitStorageFeatures>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES);
  enabled16.storageBuffer16BitAccess = storage16.storageBuffer16BitAccess;
  auto enabled12 = vkStruct<VkPhysicalDeviceVulkan12Features>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES);
  enabled12.storageBuffer8BitAccess = features12.storageBuffer8BitAccess;
  enabled12.shaderInt8 = features12.shaderInt8;
  enabled12.shaderFloat16 = features12.shaderFloat16;
  enabled.pNext = &enabled16;
  enabled16.pNext = v12 ? &enabled12 : nullptr;

  Features &have = context.features;
  have.int64 = features.features.shaderInt64;
  have.float64 = features.features.shaderFloat64;
  have.int16 = features.features.shaderInt16;
  have.storage16 = storage16.storageBuffer16BitAccess;
  have.storage8 = v12 && features12.storageBuffer8BitAccess;
  have.int8 = v12 && features12.shaderInt8;
  have.float16 = v12 && features12.shaderFloat16;
  auto subgroup = vkStruct<VkPhysicalDeviceSubgroupProperties>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES);
  auto properties = vkStruct<VkPhysicalDeviceProperties2>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2);
  properties.pNext = &subgroup;
  api.vkGetPhysicalDeviceProperties2(context.physical, &properties);
  if (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT)
    have.subgroupOperations = subgroup.supportedOperations;
  have.subgroupSize = subgroup.subgroupSize;

  float priority = 1.0f;
  auto queue = vkStruct<VkDeviceQueueCreateInfo>(
      VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO);
  queue.queueFamilyIndex = context.queueFamily;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  auto info =
      vkStruct<VkDeviceCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO);
  info.pNext = &enabled;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue;
  STRATA_VK_CHECK(
      api.vkCreateDevice(context.physical, &info, nullptr, &context.device),
      std::string("creating Vulkan device '") + context.properties.deviceName +
          "'");
  std::string error;
  if (!api.loadDevice(context.device, &error))
    return unsupported(error);
  api.vkGetDeviceQueue(context.device, context.queueFamily, 0, &context.queue);
  auto cache = vkStruct<VkPipelineCacheCreateInfo>(
      VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO);
  STRATA_VK_CHECK(api.vkCreatePipelineCache(context.device, &cache, nullptr,
                                            &context.pipelineCache),
                  "vkCreatePipelineCache");
  auto pool = vkStruct<VkCommandPoolCreateInfo>(
      VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO);
  pool.queueFamilyIndex = context.queueFamily;
  pool.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
  STRATA_VK_CHECK(api.vkCreateCommandPool(context.device, &pool, nullptr,
                                          &context.commandPool),
                  "vkCreateCommandPool");
  return nullptr;
}

} // namespace

strata_status_t createVulkanDevice(std::unique_ptr<Device> *out) {
  auto context = std::make_shared<Context>();
  std::string error;
  if (!context->api.loadLoader(&error))
    return unsupported(error);
  if (strata_status_t status = createInstance(*context))
    return status;
  if (strata_status_t status = pickPhysicalDevice(*context))
    return status;
  if (strata_status_t status = createLogicalDevice(*context))
    return status;
  context->emptyBuffer = std::make_unique<Allocation>();
  if (strata_status_t status = context->emptyBuffer->create(
          context.get(), 16, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0))
    return status;
  if (strata_status_t status = context->validationStatus("creating the device"))
    return status;
  *out = std::make_unique<VulkanDevice>(std::move(context));
  return nullptr;
}

} // namespace strata::runtime
