using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// tanh of the lower eight lanes of a 512-bit vector and sigmoid of the upper eight, lane by lane the bits of
/// <see cref="TanhOperator"/> and <see cref="SigmoidOperator"/>. An LSTM of 5 to 8 units holds its candidate and output
/// gates side by side in one register (the generated <c>CellX8Paired</c> kernels); since the vector sigmoid is
/// <c>0.5 tanh(x / 2) + 0.5</c>, one tanh serves both halves: the input scaled by 1 | 0.5, the result multiplied by
/// 1 | 0.5 and offset by -0 | 0.5. The products by 1 are exact, and adding -0 returns every float unchanged (-0 + -0 is
/// -0), so the tanh lanes get tanh's bits and the sigmoid lanes sigmoid's own operations.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TanhSigmoidPair
{
    /// <summary>tanh of lanes 0 to 7, sigmoid of lanes 8 to 15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> scale = Vector512.Create(Vector256.Create(1f), Vector256.Create(0.5f));
        Vector512<float> offset = Vector512.Create(Vector256.Create(-0f), Vector256.Create(0.5f));
        return VectorMath.MultiplyAdd(TanhOperator.Invoke(x * scale), scale, offset);
    }
}
