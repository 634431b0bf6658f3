using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using RnnGen.Testing;

namespace RnnGen.Numerics.Tests.Wiring;

// An encoder whose output sequence [6, 4] is exactly the decoder's input shape, and a streaming pair likewise.
[Lstm(4, Timesteps = 6, InputDim = 3, ReturnSequences = true)]
public partial class WiringEncoder;

[Sequential(Timesteps = 6, InputDim = 4)]
[Gru(5)]
[Dense(2)]
public partial class WiringDecoder;

[Sequential(Timesteps = 1, InputDim = 3)]
[SimpleRnn(4)]
public partial class WiringFrontEnd;

[Sequential(Timesteps = 1, InputDim = 4)]
[Dense(1)]
public partial class WiringHead;

/// <summary>
/// Separately declared models wire together through their typed tensors when, and only when, the shapes agree.
/// </summary>
public class TypedWiringTests
{
    [Fact]
    public void An_output_sequence_feeds_a_model_of_the_same_input_shape()
    {
        var encoder = new WiringEncoder(seed: 1);
        var decoder = new WiringDecoder(seed: 2);
        WiringEncoder.Input input = default;
        for (int i = 0; i < input.AsSpan().Length; i++)
        {
            input.AsSpan()[i] = MathF.Sin(i);
        }

        encoder.Forward(in input, out WiringEncoder.Output encoded);
        decoder.Forward(in encoded.Result, out WiringDecoder.Output wired);

        // The same numbers as copying the floats into the decoder's own input type.
        WiringDecoder.Input copied = default;
        encoded.Result.AsSpan().CopyTo(copied.AsSpan());
        decoder.Forward(in copied, out WiringDecoder.Output expected);
        Assert.Equal(expected.Result.AsSpan().ToArray(), wired.Result.AsSpan().ToArray());
        Assert.Contains(wired.Result.AsSpan().ToArray(), v => v != 0f);
    }

    [Fact]
    public void A_streaming_output_step_feeds_the_next_streaming_model()
    {
        var frontEnd = new WiringFrontEnd(seed: 3);
        var head = new WiringHead(seed: 4);
        WiringFrontEnd.InputStep sample = default;
        sample[0] = 0.5f;
        sample[1] = -1f;
        frontEnd.Step(in sample, out WiringFrontEnd.OutputStep features);
        head.Step(in features, out WiringHead.OutputStep prediction);
        float[] expected = head.Predict(features.AsSpan())[0];
        Assert.Equal(expected, prediction.AsSpan().ToArray());
    }

    [Theory]
    [InlineData("[Lstm(4, Timesteps = 6, InputDim = 3, ReturnSequences = true)]", "CS0315")] // [6, 4] into [6, 5]
    [InlineData("[Lstm(5, Timesteps = 7, InputDim = 3, ReturnSequences = true)]", "CS0315")] // [7, 5] into [6, 5]
    public void A_sequence_of_another_shape_does_not_compile(string encoder, string expectedError)
    {
        GeneratorRun run = CompilationHarness.Run($$"""
            using RnnGen;
            namespace Demo;
            {{encoder}}
            public partial class Encoder;
            [Sequential(Timesteps = 6, InputDim = 5)]
            [Gru(2)]
            public partial class Decoder;
            public static class Wiring
            {
                public static void Run(Encoder encoder, Decoder decoder, in Encoder.Input input)
                {
                    encoder.Forward(in input, out Encoder.Output encoded);
                    decoder.Forward(in encoded.Result, out Decoder.Output decoded);
                }
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Diagnostic error = Assert.Single(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(error.Id == expectedError || error.Id == "CS1503", error.ToString());
        string line = error.Location.SourceTree!.GetText().Lines[error.Location.GetLineSpan().StartLinePosition.Line].ToString();
        Assert.Contains("decoder.Forward(in encoded.Result", line, StringComparison.Ordinal);
    }
}
