namespace RnnGen.Tests;

public class ActivationTests
{
    [Theory]
    [InlineData(-4f)]
    [InlineData(-1f)]
    [InlineData(0f)]
    [InlineData(0.5f)]
    [InlineData(3f)]
    public void HardSigmoid_follows_keras3_and_keras2_formulas(float x)
    {
        // Keras 3: relu6(x + 3) / 6; Keras 2: clip(0.2x + 0.5, 0, 1). They differ inside (-3, 3).
        Assert.Equal(System.Math.Clamp(x / 6f + 0.5f, 0f, 1f), Activations.HardSigmoid(x), 6);
        Assert.Equal(System.Math.Clamp(0.2f * x + 0.5f, 0f, 1f), Activations.HardSigmoidKeras2(x), 6);
    }
}
