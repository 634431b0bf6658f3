using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using RnnGen.Tests.Models;

namespace RnnGen.Tests;

/// <summary>
/// Edges of the generated API found by fuzzing: an empty batch on a model with several outputs, and SetWeights from a
/// list that does not answer the same way twice.
/// </summary>
public class EdgeCaseApiTests
{
    [Fact]
    public void Batch_Forward_with_an_empty_batch_does_nothing_on_a_model_with_several_outputs()
    {
        // SmallLstm returns the sequence, h and c: three outputs, the later ones at offsets into each Output.
        var model = new SmallLstm();
        model.Forward(ReadOnlySpan<SmallLstm.Input>.Empty, Span<SmallLstm.Output>.Empty);
        model.Forward(ReadOnlyMemory<SmallLstm.Input>.Empty, Memory<SmallLstm.Output>.Empty, maxDegreeOfParallelism: 2);

        // And a non-empty batch still runs afterwards, as a single-output model's does.
        var inputs = new SmallLstm.Input[1];
        var outputs = new SmallLstm.Output[1];
        model.Forward(inputs, outputs);
        model.Forward(in inputs[0], out SmallLstm.Output single);
        Assert.Equal(GeneratedModelSupport.AsReadOnlyFloats(in single).ToArray(), GeneratedModelSupport.AsReadOnlyFloats(in outputs[0]).ToArray());
    }

    [Fact]
    public void Batch_Forward_with_an_empty_batch_does_nothing_on_a_single_output_model()
    {
        var model = new StackedClassifier();
        model.Forward(ReadOnlySpan<StackedClassifier.Input>.Empty, Span<StackedClassifier.Output>.Empty);
        model.Forward(ReadOnlyMemory<StackedClassifier.Input>.Empty, Memory<StackedClassifier.Output>.Empty, maxDegreeOfParallelism: 2);
    }

    [Fact]
    public void SetWeights_copies_exactly_the_arrays_it_checked_when_the_enumerator_disagrees_with_the_indexer()
    {
        var model = new SmallLstm();
        float[][] checkedArrays = Filled(model.GetWeights(), 0.25f);
        float[][] enumerated = Filled(model.GetWeights(), -7f);
        enumerated[1] = new float[enumerated[1].Length + 5]; // would overrun the parameters after the first array is copied

        model.SetWeights(new DisagreeingList(checkedArrays, enumerated));

        AssertSameWeights(checkedArrays, model.GetWeights());
    }

    [Fact]
    public void SetWeights_reads_each_array_once_so_a_list_that_changes_between_reads_cannot_slip_a_bad_array_past_the_check()
    {
        var model = new SmallLstm();
        float[][] first = Filled(model.GetWeights(), 0.5f);
        float[][] later = model.GetWeights().Select(w => new float[w.Length * 2]).ToArray(); // every later read is too long

        model.SetWeights(new ChangingList(first, later));

        AssertSameWeights(first, model.GetWeights());
    }

    [Fact]
    public void SetWeights_from_a_list_whose_first_reads_are_wrong_fails_and_changes_nothing_even_if_later_reads_are_right()
    {
        var model = new SmallLstm();
        float[][] before = model.GetWeights();
        float[][] first = model.GetWeights().Select(w => new float[w.Length + 1]).ToArray(); // wrong lengths on the first read

        Assert.Throws<ArgumentException>(() => model.SetWeights(new ChangingList(first, Filled(model.GetWeights(), 1f))));
        AssertSameWeights(before, model.GetWeights());
    }

    private static float[][] Filled(float[][] shapes, float value) => shapes.Select(w => Enumerable.Repeat(value, w.Length).ToArray()).ToArray();

    private static void AssertSameWeights(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    /// <summary>The indexer answers one list, the enumerator another.</summary>
    private sealed class DisagreeingList(float[][] indexed, float[][] enumerated) : IReadOnlyList<float[]>
    {
        public float[] this[int index] => indexed[index];

        public int Count => indexed.Length;

        public IEnumerator<float[]> GetEnumerator() => ((IEnumerable<float[]>)enumerated).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The first read of each element answers <c>first</c>; every read after it answers <c>later</c>.</summary>
    private sealed class ChangingList(float[][] first, float[][] later) : IReadOnlyList<float[]>
    {
        private readonly bool[] _read = new bool[first.Length];

        public float[] this[int index]
        {
            get
            {
                float[] answer = _read[index] ? later[index] : first[index];
                _read[index] = true;
                return answer;
            }
        }

        public int Count => first.Length;

        public IEnumerator<float[]> GetEnumerator() => ((IEnumerable<float[]>)later).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
