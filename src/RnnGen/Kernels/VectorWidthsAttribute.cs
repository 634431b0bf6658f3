using System;
using System.Diagnostics;

namespace RnnGen.Kernels;

/// <summary>
/// Marks a method written once, for <see cref="System.Runtime.Intrinsics.Vector512{T}"/>, whose 256- and 128-bit
/// copies the build writes: <c>generators/RnnGen.VectorWidths</c>, a source generator that runs only when this library
/// is compiled (it is not in the package), repeats the method with every <c>Vector512</c> renamed <c>Vector256</c>,
/// then <c>Vector128</c>, in another part of the containing type (which must be <c>partial</c>). A width-dependent
/// body (a polynomial, a clamp) is thus written and reviewed once, and each width keeps its own non-generic method,
/// which the JIT inlines into the generated kernels like a hand-written one.
/// </summary>
/// <remarks>
/// Only for methods whose widths differ in nothing but that name; a method that needs other per-width code
/// (<see cref="VectorMath.MultiplyAdd(System.Runtime.Intrinsics.Vector512{float}, System.Runtime.Intrinsics.Vector512{float}, System.Runtime.Intrinsics.Vector512{float})"/>
/// on .NET 8 picks a different instruction set per width) is written out per width. Conditional, so that it is not
/// compiled into the assembly's metadata.
/// </remarks>
[Conditional("RNNGEN_VECTOR_WIDTHS_TEMPLATES")]
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class VectorWidthsAttribute : Attribute
{
}
