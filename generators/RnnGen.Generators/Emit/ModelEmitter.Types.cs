using System.Linq;
using static RnnGen.Generators.Emit.ModelLayout;

namespace RnnGen.Generators.Emit;

internal sealed partial class ModelEmitter
{
    /// <summary>The model's tensors are classes (too big for structs), so they are passed by reference.</summary>
    private bool TensorsAreClasses => _layout.UsesReferenceTypes;

    private string TypeKindNote => TensorsAreClasses
        ? "It is a class because the model's tensors exceed 16 KiB, which is too much to put on the stack; allocate it once and reuse it."
        : "A fixed-size value type: it lives on the stack or inline in another object, and needs no allocation.";

    private void WriteTypes()
    {
        WriteVectorType("InputStep", "InputDim", "One timestep of the input: <see cref=\"InputDim\"/> features; index it as <c>step[feature]</c>.");
        if (TensorsAreClasses)
        {
            WriteSequenceClass("Input", "InputDim", "The input sequence: <see cref=\"Timesteps\"/> x <see cref=\"InputDim\"/> floats, row-major; index it as <c>input[t][feature]</c>.");
        }
        else
        {
            WriteSequenceStruct("Input", "InputStep", "InputDim", "The input sequence: <see cref=\"Timesteps\"/> x <see cref=\"InputDim\"/> floats, row-major; index it as <c>input[t][feature]</c>.");
        }

        WriteVectorType("OutputStep", "OutputDim", "One timestep of the model output: <see cref=\"OutputDim\"/> features.");
        if (_layout.ResultIsSequence)
        {
            if (TensorsAreClasses)
            {
                WriteSequenceClass("OutputSequence", "OutputDim", $"The output sequence: <see cref=\"{OutputTimesteps}\"/> x <see cref=\"OutputDim\"/> floats, row-major; index it as <c>sequence[t][feature]</c>.", OutputTimesteps);
            }
            else
            {
                WriteSequenceStruct("OutputSequence", "OutputStep", "OutputDim", $"The output sequence: <see cref=\"{OutputTimesteps}\"/> x <see cref=\"OutputDim\"/> floats, row-major; index it as <c>sequence[t][feature]</c>.", OutputTimesteps);
            }
        }

        bool hasStates = _layout.Outputs.Any(o => o.IsState) || _layout.InitialStateLayer is not null;
        if (hasStates)
        {
            WriteVectorType("State", Int(_layout.StateWidth), $"A state vector of the recurrent layer: {Int(_layout.StateWidth)} floats (Keras <c>[batch, units]</c> without the batch axis).");
        }

        WriteOutputType();
        if (_layout.InitialStateLayer is LayerLayout layer)
        {
            WriteInitialStateType(layer);
        }
    }

    private void WriteVectorType(string name, string length, string summary)
    {
        _writer.Line($"/// <summary>{summary} {TypeKindNoteForVector}</summary>");
        _writer.Line(GeneratedCodeAttribute);
        _writer.Line($"[global::System.Runtime.CompilerServices.InlineArray({length})]");
        using (_writer.Braces($"public struct {name} : global::RnnGen.Shapes.ITensor<{SizeType(VectorLength(length))}>"))
        {
            _writer.Line("private float _element0;");
            _writer.Line();
            _writer.Line("/// <summary>The floats as a span over this value.</summary>");
            _writer.Line("[global::System.Diagnostics.CodeAnalysis.UnscopedRef]");
            _writer.Line($"public {Span} AsSpan() => {MemoryMarshal}.CreateSpan(ref _element0, {length});");
        }

        _writer.Line();
    }

    private static string TypeKindNoteForVector => "A fixed-size value type.";

    // The length behind a size constant's name, or the literal itself.
    private int VectorLength(string length) => length switch
    {
        "InputDim" => _spec.InputDim,
        "OutputDim" => _layout.OutputDim,
        _ => int.Parse(length, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The shape type of a size: 128 is <c>Size&lt;D1, D2, D8&gt;</c> (see RnnGen.Shapes).</summary>
    private static string SizeType(int value) =>
        "global::RnnGen.Shapes.Size<" + string.Join(", ", Int(value).Select(d => "global::RnnGen.Shapes.D" + d)) + ">";

    private void WriteSequenceStruct(string name, string stepType, string width, string summary, string rows = "Timesteps")
    {
        _writer.Line($"/// <summary>{summary} {TypeKindNote}</summary>");
        _writer.Line(GeneratedCodeAttribute);
        _writer.Line($"[global::System.Runtime.CompilerServices.InlineArray({rows})]");
        int rowCount = rows == "Timesteps" ? _spec.Timesteps : _layout.Last.Spec.OutputTimesteps;
        using (_writer.Braces($"public struct {name} : global::RnnGen.Shapes.ITensor<{SizeType(rowCount)}, {SizeType(VectorLength(width))}>"))
        {
            _writer.Line($"private {stepType} _element0;");
            _writer.Line();
            _writer.Line("/// <summary>All floats, timestep after timestep, as a span over this value.</summary>");
            _writer.Line("[global::System.Diagnostics.CodeAnalysis.UnscopedRef]");
            _writer.Line($"public {Span} AsSpan() => {MemoryMarshal}.CreateSpan(ref {Unsafe}.As<{stepType}, float>(ref _element0), {rows} * {width});");
        }

        _writer.Line();
    }

    private void WriteSequenceClass(string name, string width, string summary, string rows = "Timesteps")
    {
        _writer.Line($"/// <summary>{summary} {TypeKindNote}</summary>");
        _writer.Line(GeneratedCodeAttribute);
        using (_writer.Braces($"public sealed class {name}"))
        {
            _writer.Line($"private readonly float[] _values = new float[{rows} * {width}];");
            _writer.Line();
            _writer.Line("/// <summary>The features of timestep <paramref name=\"t\"/>.</summary>");
            _writer.Line($"/// <param name=\"t\">The timestep, from 0 to <see cref=\"{rows}\"/> - 1.</param>");
            _writer.Line($"public {Span} this[int t] => new {Span}(_values, t * {width}, {width});");
            _writer.Line();
            _writer.Line("/// <summary>All floats, timestep after timestep.</summary>");
            _writer.Line($"public {Span} AsSpan() => _values;");
        }

        _writer.Line();
    }

    private string ResultType(OutputLayout output) =>
        output.IsState ? "State" : output.IsSequence ? "OutputSequence" : "OutputStep";

    private void WriteOutputType()
    {
        _writer.Line($"/// <summary>The outputs of <see cref=\"Forward(in Input, {(TensorsAreClasses ? "Output" : "out Output")})\"/>, in Keras call order. {TypeKindNote}</summary>");
        _writer.Line(GeneratedCodeAttribute);
        using (_writer.Braces(TensorsAreClasses ? "public sealed class Output" : "public struct Output"))
        {
            foreach (OutputLayout output in _layout.Outputs)
            {
                string shape = output.IsSequence ? $"[{OutputTimesteps}, {Int(output.Width)}]" : $"[{Int(output.Width)}]";
                _writer.Line($"/// <summary>Keras <c>{output.KerasName}</c>, {shape}: {output.Description}.</summary>");
                if (TensorsAreClasses && output.IsSequence)
                {
                    _writer.Line($"public OutputSequence {output.FieldName} {{ get; }} = new OutputSequence();");
                }
                else
                {
                    _writer.Line($"public {ResultType(output)} {output.FieldName};");
                }

                if (output != _layout.Outputs.Last())
                {
                    _writer.Line();
                }
            }
        }

        _writer.Line();
    }

    private void WriteInitialStateType(LayerLayout layer)
    {
        _writer.Line("/// <summary>The initial states of the recurrent layer (Keras <c>initial_state</c>), in Keras order. " + TypeKindNote + "</summary>");
        _writer.Line(GeneratedCodeAttribute);
        using (_writer.Braces(TensorsAreClasses ? "public sealed class InitialState" : "public struct InitialState"))
        {
            for (int i = 0; i < layer.States.Count; i++)
            {
                StateLayout state = layer.States[i];
                _writer.Line($"/// <summary>The initial value of {state.Description.Replace("final ", string.Empty)}.</summary>");
                _writer.Line($"public State {state.FieldName};");
                if (i < layer.States.Count - 1)
                {
                    _writer.Line();
                }
            }
        }

        _writer.Line();
    }
}
