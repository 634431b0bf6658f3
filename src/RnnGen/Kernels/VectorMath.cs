using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
#if !NET9_0_OR_GREATER
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
#endif

namespace RnnGen.Kernels;

/// <summary>
/// The vector primitives of the generated kernels and of the activation operators (<see cref="IActivationOperator"/>),
/// for each vector width (128, 256 and 512 bits; the generated code picks one with <c>IsHardwareAccelerated</c>). Every
/// method is inlined into the caller. Public only because generated code calls it; not a general-purpose API.
/// <see cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/> is written per width (on .NET 8 each
/// width has its own instruction set); <see cref="Map{TOperator}(Vector512{float})"/> is written once and copied to the
/// other widths by the build (<see cref="VectorWidthsAttribute"/>).
/// </summary>
/// <remarks>
/// <c>MultiplyAdd</c> fuses where the CPU has a fused multiply-add instruction (x86 FMA3, Arm64) and otherwise
/// multiplies and adds, as .NET 8 and most BLAS builds do: <c>MultiplyAddEstimate</c> on .NET 9 and later. Not
/// <c>FusedMultiplyAdd</c>, which is fused on every machine and, where the instruction is missing, computes each lane in
/// software: NativeAOT's default x64 target (x86-64-v2) and CPUs without AVX2 have no FMA, and kernels built that
/// way ran 30 to 70 times slower than with a multiply and an add (docs/performance.md, "NativeAOT"). The body stays
/// one call: a larger one (a branch on <c>Fma.IsSupported</c>) exceeds the JIT's always-inline size, and the largest
/// kernels then call it out of line.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class VectorMath
{
    // ---- 512-bit ----

    /// <summary>a * b + c, fused where the hardware has FMA (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector512.MultiplyAddEstimate(a, b, c);
#else
        return Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;
#endif
    }

    /// <summary>
    /// Applies <typeparamref name="TOperator"/>'s scalar path lane by lane: the vector path of the rare activations
    /// that have no vector form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [VectorWidths]
    public static Vector512<float> Map<TOperator>(Vector512<float> value)
        where TOperator : IActivationOperator
    {
        Span<float> lanes = stackalloc float[Vector512<float>.Count];
        value.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = TOperator.Invoke(lanes[i]);
        }

        return Vector512.Create<float>(lanes);
    }

    // ---- 256-bit ----

    /// <summary>a * b + c, fused where the hardware has FMA (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector256.MultiplyAddEstimate(a, b, c);
#else
        return Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
#endif
    }

    // ---- 128-bit ----

    /// <summary>a * b + c, fused where the hardware has FMA (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector128.MultiplyAddEstimate(a, b, c);
#else
        if (Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a, b, c);
        }

        return AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) : a * b + c;
#endif
    }

    // ---- one float ----

    /// <summary>a * b + c for one float (the tails of the vector loops), by the same rule as the vector forms.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c)
    {
#if NET9_0_OR_GREATER
        return float.MultiplyAddEstimate(a, b, c);
#else
        return Fma.IsSupported || AdvSimd.IsSupported ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;
#endif
    }
}
