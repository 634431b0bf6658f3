using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// A Keras element-wise activation as an operator (the pattern of <c>System.Numerics.Tensors.TensorPrimitives</c>):
/// a scalar path and a path for each vector width, all static so that the JIT inlines them into the generated kernels.
/// One file per activation; each names its constants once, for every path, and cites its source.
/// </summary>
/// <remarks>
/// The scalar path is the Keras formula <see cref="Activations"/> exposes by name (the reference layers and the scalar
/// kernels call it). The vector paths compute the same formula with the same constants; where the formula needs
/// <c>tanh</c> or <c>exp</c>, they use <see cref="TanhOperator"/>'s and <see cref="ExponentialOperator"/>'s vector
/// approximations (within a few ulp), and the three rare activations without a vector form (softplus, mish,
/// log_sigmoid) apply the scalar path lane by lane (<see cref="VectorMath.Map{TOperator}(Vector128{float})"/>).
/// Public only because generated code calls it; not a general-purpose API.
/// </remarks>
public interface IActivationOperator
{
    /// <summary>The activation of one float.</summary>
    static abstract float Invoke(float x);

    /// <summary>The activation of each lane of a 128-bit vector.</summary>
    static abstract Vector128<float> Invoke(Vector128<float> x);

    /// <summary>The activation of each lane of a 256-bit vector.</summary>
    static abstract Vector256<float> Invoke(Vector256<float> x);

    /// <summary>The activation of each lane of a 512-bit vector.</summary>
    static abstract Vector512<float> Invoke(Vector512<float> x);
}
