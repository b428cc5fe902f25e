//===- WgmmaTile.cpp - a GEMM tile on Hopper's warpgroup MMA --------------===//
//
// On sm_90a the workgroup's 128 threads, one warpgroup, multiply a tile
// with wgmma: m64nNk16 for each group of 64 rows, both operands read by
// the tensor cores from shared memory through matrix descriptors. Both
// are staged K-major in 8 x 8 core matrices without swizzling: a core
// matrix is 8 rows of 16 contiguous bytes, and a descriptor names the
// distance between core matrices along k (LBO) and along rows (SBO).
// The accumulators live in registers from the output's load to its
// store, so a tile of 128 x 128 needs shared memory only for its staged
// steps; wgmma is asynchronous, so the threads stage the next steps into
// a second slot while it multiplies.
//
// An input that is a whole binding's rows is loaded by TMA instead: one
// thread asks the tensor memory accelerator for the slot's box of rows x
// 64 steps (K-major), or boxes of 64 steps x 64 rows or columns (M-major
// A, N-major B), each line of 128 bytes swizzled as wgmma reads it
// (16-byte chunks permuted by the line's place among 8), and the
// threads wait for the slot's mbarrier to count its bytes. Where TMA
// loads both inputs, its loads run up to three slots ahead of the
// wgmmas. The tensor map lives in a 128-byte `.const` global that the
// runtime fills, which the kernel function's `schedule.tensor_maps`
// describes.
//
//===----------------------------------------------------------------------===//

#include "dialects/Schedule/IR/ScheduleOps.h"
#include "passes/GPUToNVVM/MmaTiles.h"
#include "passes/LinalgToGPU/Tiles.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

namespace mlir::strata {
namespace {

/// Rows and elements of a core matrix, and its bytes.
constexpr int64_t kCore = 8, kCoreBytes = 128;
constexpr int64_t kGroupRows = 64, kWgmmaSteps = 16;
/// The bytes of a tensor map, and its alignment.
constexpr int64_t kTensorMapBytes = 128, kTensorMapAlignment = 64;
/// How long an mbarrier wait may suspend before it tests again, in ns.
constexpr int64_t kWaitTicks = 10000000;
/// The most elements a TMA box spans in one dimension.
constexpr int64_t kMaxBoxRows = 256;

class WgmmaTile : MmaTileBuilder {
public:
  WgmmaTile(linalg::LinalgOp op, const MmaPlan &plan, int64_t workgroupSize)
      : MmaTileBuilder(op, plan, workgroupSize) {}

  void build() {
    MLIRContext *ctx = b.getContext();
    Type element = getElementTypeOrSelf(op.getDpsInputOperand(0)->get());
    int64_t columns = plan.paddedColumns;
    // TMA writes whole swizzled rows, at 1024-byte aligned slots that the
    // kernel finds by rounding up within the buffer.
    int64_t slots = plan.stages;
    auto stageBuffer = [&](unsigned input, int64_t extent) {
      if (plan.tma[input])
        return buffer({slots * extent * plan.steps +
                       kSwizzleAlignment / elementBytes(element)},
                      element);
      return buffer({slots, extent / kCore, plan.steps / kCore, kCore, kCore},
                    element);
    };
    Value stageA = stageBuffer(0, plan.paddedRows);
    Value stageB = stageBuffer(1, columns);
    if (plan.tma[0] || plan.tma[1])
      barriers = buffer({slots}, b.getI64Type());
    scf::ForallOp forall = createInvocationLoop(b, loc, workgroupSize);
    b.setInsertionPoint(forall.getBody()->getTerminator());
    Value invocation = forall.getInductionVar(0);
    if (barriers)
      initBarriers(invocation);

    // The accumulators start at the fill of the output, or from the output
    // tile, read straight into the registers that wgmma accumulates in.
    int64_t groups = plan.paddedRows / kGroupRows;
    auto fragment = LLVM::LLVMStructType::getLiteral(
        ctx, SmallVector<Type>(columns / 2, b.getF32Type()));
    SmallVector<Value> initial;
    for (int64_t g = 0; g < groups; ++g) {
      Value accumulators = LLVM::PoisonOp::create(b, loc, fragment);
      for (int64_t i = 0; i < columns / 2; ++i) {
        auto [row, column] = fragmentPosition(invocation, g, i);
        accumulators = LLVM::InsertValueOp::create(b, loc, accumulators,
                                                   loadOutput(row, column), i);
      }
      initial.push_back(accumulators);
    }
    int64_t end = llvm::alignTo(plan.depth, plan.steps);
    Value baseA = address(stageA, plan.tma[0].has_value()),
          baseB = address(stageB, plan.tma[1].has_value());
    // A slot holds the steps of every row (or column), staged or loaded.
    int64_t bytesA = plan.paddedRows * plan.steps * elementBytes(element),
            bytesB = columns * plan.steps * elementBytes(element);
    // TMA loads the first slots - 1 slots; the threads stage one.
    for (int64_t s = 0; s + 1 < slots && s * plan.steps < end; ++s)
      load({baseA, baseB}, {bytesA, bytesB}, index(s), index(s * plan.steps));
    stage(stageA, stageB, index(0), index(0), invocation);
    gpu::BarrierOp::create(b, loc);
    auto kLoop = scf::ForOp::create(
        b, loc, index(0), index(end), index(plan.steps), initial,
        [&](OpBuilder &nested, Location, Value k0, ValueRange accumulators) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToEnd(nested.getInsertionBlock());
          AffineExpr t = b.getAffineDimExpr(0);
          // Builds `body` for the steps `ahead` on from k0, if there are any.
          auto whenAhead = [&](int64_t ahead,
                               llvm::function_ref<void(Value)> body) {
            Value later = arith::AddIOp::create(b, loc, k0, index(ahead));
            Value more = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::ult, later, index(end));
            auto within = scf::IfOp::create(b, loc, more, /*withElse=*/false);
            OpBuilder::InsertionGuard guard(b);
            b.setInsertionPointToStart(&within.getThenRegion().front());
            body(later);
          };
          // TMA fills the slot that the steps before these read, slots - 1
          // slots ahead: the barrier that ended them saw their wgmmas out.
          if (barriers)
            whenAhead((slots - 1) * plan.steps, [&](Value later) {
              load({baseA, baseB}, {bytesA, bytesB},
                   apply((t.floorDiv(plan.steps) + slots - 1) % slots, k0),
                   later);
            });
          Value slot = apply(t.floorDiv(plan.steps) % slots, k0);
          if (barriers)
            NVVM::MBarrierTryWaitParityOp::create(
                b, loc, barrier(slot),
                i32(apply(t.floorDiv(plan.steps * slots) % 2, k0)),
                i32(kWaitTicks));
          Value slotA = slotAddress(baseA, bytesA, slot),
                slotB = slotAddress(baseB, bytesB, slot);
          NVVM::WgmmaFenceAlignedOp::create(b, loc);
          SmallVector<Value> next(accumulators);
          for (int64_t k = 0; k < plan.steps; k += kWgmmaSteps) {
            Value descriptorB = descriptor(slotB, k, 0, plan.tma[1]);
            for (int64_t g = 0; g < groups; ++g)
              next[g] = multiply(
                  next[g], descriptor(slotA, k, g * kGroupRows, plan.tma[0]),
                  descriptorB, element);
          }
          NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
          // The threads copy the next steps into the next slot while the
          // tensor cores multiply this one.
          if (!plan.tma[0] || !plan.tma[1])
            whenAhead(plan.steps, [&](Value following) {
              stage(stageA, stageB,
                    apply((t.floorDiv(plan.steps) + 1) % slots, k0), following,
                    invocation);
            });
          NVVM::WgmmaWaitGroupSyncOp::create(b, loc, b.getI64IntegerAttr(0));
          // The next steps overwrite what these read.
          gpu::BarrierOp::create(b, loc);
          scf::YieldOp::create(b, loc, next);
        });
    // The workgroup's next tile sets the mbarriers up afresh.
    if (barriers) {
      auto last = scf::IfOp::create(b, loc, leader, /*withElse=*/false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&last.getThenRegion().front());
      for (int64_t slot = 0; slot < slots; ++slot)
        NVVM::MBarrierInvalOp::create(b, loc, barrier(index(slot)));
    }
    // Where the tile is not rounded up, all loads come before all stores,
    // which may alias them: LLVM then merges a thread's neighbouring
    // columns into vector stores.
    SmallVector<GemmEnds::Store> stores;
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t i = 0; i < columns / 2; ++i) {
        auto [row, column] = fragmentPosition(invocation, g, i);
        Value sum = LLVM::ExtractValueOp::create(b, loc, kLoop.getResult(g), i);
        OpBuilder::InsertionGuard guard(b);
        if (Value inside = insideTile(row, column)) {
          auto guarded = scf::IfOp::create(b, loc, inside, /*withElse=*/false);
          b.setInsertionPointToStart(&guarded.getThenRegion().front());
          GemmEnds::store(b, loc, results(sum, row, column));
        } else {
          llvm::append_range(stores, results(sum, row, column));
        }
      }
    GemmEnds::store(b, loc, stores);
    ends.erase();
  }

private:
  Value i64(int64_t value) {
    return arith::ConstantIntOp::create(b, loc, value, 64);
  }

  /// `value` (an index) as an i32, or the constant `value`.
  Value i32(Value value) {
    return arith::IndexCastOp::create(b, loc, b.getI32Type(), value);
  }
  Value i32(int64_t value) {
    return arith::ConstantIntOp::create(b, loc, value, 32);
  }

  /// The shared-memory pointer at `address` (an i64).
  Value sharedPointer(Value address) {
    return LLVM::IntToPtrOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext(), 3), address);
  }

  /// The mbarrier of slot `slot`, which counts the bytes TMA writes there.
  Value barrier(Value slot) {
    Value offset = arith::MulIOp::create(
        b, loc, arith::IndexCastOp::create(b, loc, b.getI64Type(), slot),
        i64(8));
    return sharedPointer(
        arith::AddIOp::create(b, loc, address(barriers, false), offset));
  }

  /// Invocation 0 sets up the mbarriers, each expecting one arrival (its
  /// own, with the bytes to come) per phase; the barrier after the first
  /// staging makes them visible to the others before any waits.
  void initBarriers(Value invocation) {
    leader = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, invocation,
                                   index(0));
    for (int64_t slot = 0; slot < plan.stages; ++slot)
      NVVM::MBarrierInitOp::create(b, loc, barrier(index(slot)), i32(1),
                                   leader);
    NVVM::FenceMbarrierInitOp::create(b, loc);
    // TMA, in the async proxy, then writes bytes that this kernel's
    // threads may have used before.
    fenceStores();
  }

  /// Invocation 0 asks TMA for steps [k0, k0 + steps) of each input TMA
  /// loads, into slot `slot` (at `bases`, `slotBytes` apart), and tells the
  /// slot's mbarrier how many bytes will arrive.
  void load(ArrayRef<Value> bases, ArrayRef<int64_t> slotBytes, Value slot,
            Value k0) {
    if (!barriers)
      return;
    int64_t bytes = 0;
    for (unsigned input : {0u, 1u})
      if (plan.tma[input])
        bytes += slotBytes[input];
    Value arrival = barrier(slot);
    NVVM::MBarrierArriveExpectTxOp::create(b, loc, Type(), arrival, i32(bytes),
                                           NVVM::MemScopeKind::CTA,
                                           /*relaxed=*/false, leader);
    for (unsigned input : {0u, 1u}) {
      if (!plan.tma[input])
        continue;
      const TmaOperand &operand = *plan.tma[input];
      Value start = slotAddress(bases[input], slotBytes[input], slot);
      // M- or N-major: a box of 64 steps per 64 rows or columns, one
      // after the other.
      int64_t extent = input == 0 ? plan.paddedRows : plan.paddedColumns;
      int64_t boxes = operand.kMajor ? 1 : extent / kTmaSteps;
      for (int64_t box = 0; box < boxes; ++box) {
        // Coordinates go innermost first: k (or the rows or columns), the
        // rows or columns (or k), then the rest.
        SmallVector<Value> coordinates;
        for (OpFoldResult origin : llvm::reverse(operand.origin)) {
          Value at = getValueOrCreateConstantIndexOp(b, loc, origin);
          size_t dim = coordinates.size();
          if (dim == (operand.kMajor ? 0 : 1))
            at = arith::AddIOp::create(b, loc, at, k0);
          else if (dim == 0 && box)
            at = arith::AddIOp::create(b, loc, at, index(box * kTmaSteps));
          coordinates.push_back(i32(at));
        }
        Value destination = arith::AddIOp::create(
            b, loc, start, i64(box * kTmaSteps * kSwizzleBytes));
        NVVM::CpAsyncBulkTensorGlobalToSharedClusterOp::create(
            b, loc, sharedPointer(destination), tensorMap(input), coordinates,
            arrival, ValueRange(), Value(), Value(), NVVM::TMALoadMode::TILE,
            /*isCTAOnly=*/false, NVVM::CTAGroupKindAttr(), leader);
      }
    }
  }

  /// A generic pointer to the tensor map of input `input`: a global of the
  /// kernel's module, recorded in the kernel's `schedule.tensor_maps`.
  Value tensorMap(unsigned input) {
    if (!maps[input]) {
      auto func = op->getParentOfType<func::FuncOp>();
      auto module = func->getParentOfType<ModuleOp>();
      MLIRContext *ctx = b.getContext();
      SymbolTable symbols(module);
      OpBuilder detached(ctx);
      auto global = LLVM::GlobalOp::create(
          detached, loc,
          LLVM::LLVMArrayType::get(b.getI8Type(), kTensorMapBytes),
          /*isConstant=*/false, LLVM::Linkage::External,
          (func.getSymName() + "_tensor_map_" + (input ? "b" : "a")).str(),
          b.getStringAttr(std::string(kTensorMapBytes, '\0')),
          kTensorMapAlignment, /*addrSpace=*/4);
      symbols.insert(global, module.getBody()->begin());
      const TmaOperand &operand = *plan.tma[input];
      // The box's innermost dim: the steps (K-major), or 64 rows or
      // columns; the next: all rows or columns, or the steps.
      SmallVector<int64_t> box(operand.type.getRank(), 1);
      box.back() = operand.kMajor ? plan.steps : kTmaSteps;
      box[box.size() - 2] = !operand.kMajor ? plan.steps
                            : input == 0    ? plan.paddedRows
                                            : plan.paddedColumns;
      auto map = schedule::TensorMapAttr::get(
          ctx, operand.binding, global.getSymName(),
          operand.type.getElementType(), operand.type.getShape(), box,
          kSwizzleBytes);
      SmallVector<Attribute> recorded;
      if (auto existing =
              func->getAttrOfType<ArrayAttr>(schedule::kTensorMapsAttr))
        llvm::append_range(recorded, existing);
      recorded.push_back(map);
      func->setAttr(schedule::kTensorMapsAttr, ArrayAttr::get(ctx, recorded));
      maps[input] = global;
    }
    Value address = LLVM::AddressOfOp::create(b, loc, maps[input]);
    return LLVM::AddrSpaceCastOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext()), address);
  }

  /// Where the accumulator `i` of group `g` that `invocation` holds lies
  /// in the tile: warp w's threads hold rows 16w to 16w + 15 of the
  /// group, four threads to a row, two columns each per 8 columns, and
  /// rows r and r + 8 in alternate pairs of registers.
  std::pair<Value, Value> fragmentPosition(Value invocation, int64_t g,
                                           int64_t i) {
    AffineExpr t = b.getAffineDimExpr(0);
    AffineExpr row = g * kGroupRows + t.floorDiv(32) * 16 +
                     (t % 32).floorDiv(4) + 8 * ((i / 2) % 2);
    AffineExpr column = 8 * (i / 4) + (t % 4) * 2 + i % 2;
    return {apply(row, invocation), apply(column, invocation)};
  }

  /// Copies steps [k0, k0 + steps) of the inputs TMA does not load into
  /// slot `slot` of their core matrices: element (position p, step s) at
  /// [slot][p / 8][s / 8][p % 8][s % 8]; steps past the depth as zeros.
  void stage(Value stageA, Value stageB, Value slot, Value k0,
             Value invocation) {
    auto at = [&](Value step, Value position) -> SmallVector<Value> {
      Value core = index(kCore);
      return {slot, arith::DivUIOp::create(b, loc, position, core),
              arith::DivUIOp::create(b, loc, step, core),
              arith::RemUIOp::create(b, loc, position, core),
              arith::RemUIOp::create(b, loc, step, core)};
    };
    std::optional<int64_t> depth;
    if (plan.depth % plan.steps)
      depth = plan.depth;
    SmallVector<StagedOperand> operands;
    for (auto [input, group, extent, buffer] :
         {std::tuple{0u, ArrayRef<unsigned>(plan.loops.m), plan.rows, stageA},
          std::tuple{1u, ArrayRef<unsigned>(plan.loops.n), plan.columns,
                     stageB}}) {
      if (plan.tma[input])
        continue;
      StagedOperand &operand =
          operands.emplace_back(StagedOperand{input, group, extent, buffer});
      operand.storeAt = at;
      // 16 bytes a load where the rows allow, every load of a step in
      // flight at once. (Vector copies do not zero-fill past the depth.)
      if (!depth)
        operand.vectorWidth = stagedVectorWidth(
            op, plan.loops, plan.ranges, input, group, extent, plan.steps,
            /*exact=*/true, kCopyBytes / elementBytes(buffer.getType()),
            /*narrow=*/true);
      operand.alignedVectors = true;
      operand.unrolled = true;
    }
    if (operands.empty())
      return;
    stageGemmOperands(b, loc, op, plan.loops, plan.ranges, operands, k0,
                      index(plan.steps), invocation, workgroupSize, depth);
    fenceStores();
  }

  /// The tensor cores read shared memory through the async proxy, which
  /// must see the threads' stores.
  void fenceStores() {
    MLIRContext *ctx = b.getContext();
    NVVM::FenceProxyOp::create(
        b, loc, NVVM::ProxyKindAttr::get(ctx, NVVM::ProxyKind::async_shared),
        NVVM::SharedSpaceAttr::get(ctx, NVVM::SharedSpace::shared_cta));
  }

  /// What the accumulator at (`row`, `column`) of the tile starts at; zero
  /// in the rows and columns that round the tile up.
  Value loadOutput(Value row, Value column) {
    if (fill)
      return fill;
    Value inside = insideTile(row, column);
    if (inside) {
      row = arith::MinUIOp::create(b, loc, row, index(plan.rows - 1));
      column = arith::MinUIOp::create(b, loc, column, index(plan.columns - 1));
    }
    Value value = toSum(ends.start(b, loc, outputIndices(row, column)));
    if (!inside)
      return value;
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
    return arith::SelectOp::create(b, loc, inside, value, zero);
  }

  /// Whether (`row`, `column`) lies in the tile; null where the tile is
  /// not rounded up, so every position does.
  Value insideTile(Value row, Value column) {
    Value inside;
    for (auto [position, extent, padded] :
         {std::tuple{row, plan.rows, plan.paddedRows},
          std::tuple{column, plan.columns, plan.paddedColumns}}) {
      if (extent == padded)
        continue;
      Value within = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                           position, index(extent));
      inside = inside ? arith::AndIOp::create(b, loc, inside, within) : within;
    }
    return inside;
  }

  /// The address of slot `slot` of a buffer at `base`, `bytes` a slot.
  Value slotAddress(Value base, int64_t bytes, Value slot) {
    Value offset = arith::MulIOp::create(
        b, loc, arith::IndexCastOp::create(b, loc, b.getI64Type(), slot),
        i64(bytes));
    return arith::AddIOp::create(b, loc, base, offset);
  }

  /// The shared-memory address of `buffer`, as an i64; rounded up to the
  /// swizzle's alignment where TMA writes it.
  Value address(Value buffer, bool swizzled) {
    Value pointer =
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
    Value address = arith::IndexCastOp::create(b, loc, b.getI64Type(), pointer);
    if (!swizzled)
      return address;
    return arith::AndIOp::create(
        b, loc,
        arith::AddIOp::create(b, loc, address, i64(kSwizzleAlignment - 1)),
        i64(~(kSwizzleAlignment - 1)));
  }

  /// The matrix descriptor of the 64 rows (or all columns) of a staged
  /// input from `row` on, steps [k, k + 16), TMA loaded it as `loaded`
  /// says. Threads' core matrices: LBO between core matrices along k, SBO
  /// along rows. 128-byte swizzled lines (layout 1 in bits 62-63), SBO
  /// between groups of 8 lines: K-major, each line a row, k at 2 bytes a
  /// step and LBO unused (1); M- or N-major, each line a step of a box of
  /// 64 rows or columns, LBO between the boxes (unused for A, whose 64
  /// rows are one box).
  Value descriptor(Value base, int64_t k, int64_t row,
                   const std::optional<TmaOperand> &loaded) {
    int64_t lbo = kCoreBytes, sbo = plan.steps / kCore * kCoreBytes;
    int64_t offset = row / kCore * sbo + k / kCore * lbo;
    if (loaded) {
      lbo = loaded->kMajor ? 16 : kTmaSteps * kSwizzleBytes;
      sbo = kCore * kSwizzleBytes;
      offset = loaded->kMajor ? row * kSwizzleBytes + k * 2
                              : row / kTmaSteps * kTmaSteps * kSwizzleBytes +
                                    k * kSwizzleBytes;
    }
    uint64_t fields = uint64_t(lbo >> 4) << 16 | uint64_t(sbo >> 4) << 32 |
                      uint64_t{loaded.has_value()} << 62;
    Value start = arith::AddIOp::create(b, loc, base, i64(offset));
    // Bits 0-13: the address / 16 within the 256 KiB shared window.
    Value field = arith::ShRUIOp::create(
        b, loc, arith::AndIOp::create(b, loc, start, i64(0x3FFFF)), i64(4));
    return arith::OrIOp::create(b, loc, field,
                                i64(static_cast<int64_t>(fields)));
  }

  Value multiply(Value accumulators, Value descriptorA, Value descriptorB,
                 Type element) {
    MLIRContext *ctx = b.getContext();
    auto type = NVVM::WGMMATypesAttr::get(
        ctx, element.isBF16() ? NVVM::WGMMATypes::bf16 : NVVM::WGMMATypes::f16);
    return NVVM::WgmmaMmaAsyncOp::create(
        b, loc, accumulators.getType(), accumulators, descriptorA, descriptorB,
        NVVM::MMAShapeAttr::get(ctx, kGroupRows, plan.paddedColumns,
                                kWgmmaSteps),
        type, type, NVVM::WGMMATypesAttr::get(ctx, NVVM::WGMMATypes::f32),
        NVVM::WGMMAScaleOutAttr::get(ctx, NVVM::WGMMAScaleOut::one),
        NVVM::WGMMAScaleInAttr::get(ctx, NVVM::WGMMAScaleIn::one),
        NVVM::WGMMAScaleInAttr::get(ctx, NVVM::WGMMAScaleIn::one),
        // K-major (A row, B col) unless TMA loaded an input M- or
        // N-major, which wgmma reads transposed.
        NVVM::MMALayoutAttr::get(ctx, plan.tma[0] && !plan.tma[0]->kMajor
                                          ? NVVM::MMALayout::col
                                          : NVVM::MMALayout::row),
        NVVM::MMALayoutAttr::get(ctx, plan.tma[1] && !plan.tma[1]->kMajor
                                          ? NVVM::MMALayout::row
                                          : NVVM::MMALayout::col),
        NVVM::MMAIntOverflowAttr());
  }

  /// Each TMA-loaded input's tensor map global, the slots' mbarriers and
  /// whether this invocation issues the loads.
  LLVM::GlobalOp maps[2];
  Value barriers, leader;
};

} // namespace

std::optional<TmaOperand> tmaOperand(linalg::LinalgOp op, const MmaPlan &plan,
                                     unsigned input) {
  ArrayRef<unsigned> group = input == 0 ? plan.loops.m : plan.loops.n;
  if (plan.steps != kTmaSteps || group.size() != 1 || plan.loops.k.size() != 1)
    return std::nullopt;
  OpOperand *operand = op.getDpsInputOperand(input);
  auto view = operand->get().getDefiningOp<memref::SubViewOp>();
  auto binding = dyn_cast_if_present<BlockArgument>(view ? view.getSource()
                                                         : operand->get());
  if (!binding || !binding.getOwner()->isEntryBlock() ||
      !isa<func::FuncOp>(binding.getOwner()->getParentOp()))
    return std::nullopt;
  auto type = cast<MemRefType>(binding.getType());
  int64_t rank = type.getRank();
  AffineMap map = op.getMatchingIndexingMap(operand);
  if (rank < 2 || rank > 5 || !type.hasStaticShape() ||
      !type.getLayout().isIdentity() || elementBytes(type) != 2 ||
      type.getShape().back() * 2 % 16 || map.getNumResults() != rank ||
      !map.isProjectedPermutation())
    return std::nullopt;
  SmallVector<OpFoldResult> origin(rank,
                                   Builder(op.getContext()).getIndexAttr(0));
  SmallVector<int64_t> sizes(type.getShape());
  if (view) {
    if (view.getType().getRank() != rank ||
        !llvm::all_of(view.getStaticStrides(),
                      [](int64_t stride) { return stride == 1; }))
      return std::nullopt;
    origin = view.getMixedOffsets();
    sizes.assign(view.getStaticSizes().begin(), view.getStaticSizes().end());
  }
  // Outermost first: loops of one iteration, the rows, then k (or, M- or
  // N-major, k then the rows, in boxes of 64); a box holds at most 256
  // rows.
  int64_t extent = input == 0 ? plan.rows : plan.columns;
  int64_t padded = input == 0 ? plan.paddedRows : plan.paddedColumns;
  bool kMajor = cast<AffineDimExpr>(map.getResults().back()).getPosition() ==
                plan.loops.k.front();
  if (padded > kMaxBoxRows || (!kMajor && padded % kTmaSteps))
    return std::nullopt;
  int64_t kDim = kMajor ? rank - 1 : rank - 2;
  for (int64_t d = 0; d < rank; ++d) {
    unsigned loop = cast<AffineDimExpr>(map.getResult(d)).getPosition();
    bool fits = d == kDim
                    ? loop == plan.loops.k.front() && sizes[d] == plan.depth
                : d >= rank - 2 ? loop == group.front() && sizes[d] == extent
                                : plan.ranges[loop] == 1 && sizes[d] == 1;
    if (!fits)
      return std::nullopt;
  }
  // Past the depth, TMA reads zeros only where the binding ends there.
  std::optional<int64_t> kStart = getConstantIntValue(origin[kDim]);
  if (plan.depth % kTmaSteps &&
      (kStart != 0 || plan.depth != type.getShape()[kDim]))
    return std::nullopt;
  return TmaOperand{binding.getArgNumber(), type, origin, kMajor};
}

void buildWgmmaTile(linalg::LinalgOp op, const MmaPlan &plan,
                    int64_t workgroupSize) {
  WgmmaTile(op, plan, workgroupSize).build();
}

} // namespace mlir::strata
