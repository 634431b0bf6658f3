using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using RnnGen.Benchmarks.Modes;
using RnnGen.Kernels;

namespace RnnGen.Benchmarks.Benchmarks;

/// <summary>
/// The layer-driver decision (docs/generator.md): one LSTM layer over a 64-step sequence, driven by a loop written
/// as the emitter writes it (every size a constant of the method) and by a runtime-generic driver,
/// <see cref="PrototypeRecurrentLayer{TCell}"/>, over a cell struct whose sizes and step are static abstract members (the
/// <c>TensorPrimitives</c> operator pattern applied to layers). Both call the same 512-bit kernel, the generator's
/// LstmCellX16 copied in <see cref="CellAnatomyKernels"/>, on the same packed weights, so the difference is the
/// driver alone. Needs AVX-512 (the setup says so otherwise). This prototype decided for the library's driver,
/// Kernels.RecurrentLayer.Run, which every generated recurrent layer now runs through; that driver's own before-and-after
/// figures are in docs/generator.md.
/// </summary>
[MemoryDiagnoser]
public class GenericDriverBenchmarks
{
    private float[] _input = null!;
    private float[] _packed = null!;
    private float[] _scratch = null!;
    private float[] _output = null!;

    [Params(16, 32)]
    public int Units { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            throw new PlatformNotSupportedException("The copied kernels are the 512-bit ones; this machine has no AVX-512.");
        }

        var random = new Random(11);
        float[] Values(int count, float scale)
        {
            var values = new float[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
            }

            return values;
        }

        const int Gates = 4;
        _input = Values(LstmCell16.Timesteps * LstmCell16.InputWidth, 1f);
        _packed = GeneratedModelSupport.AllocateAligned(KernelPacking.RecurrentLength(LstmCell16.InputWidth, Units, Gates, lanes: 16, biasRows: 1));
        KernelPacking.PackRecurrent(Values(LstmCell16.InputWidth * Gates * Units, 0.3f), Values(Units * Gates * Units, 0.3f), Values(Gates * Units, 0.1f),
            GeneratedModelSupport.AlignedSpan(_packed, KernelPacking.RecurrentLength(LstmCell16.InputWidth, Units, Gates, 16, 1)),
            inputs: LstmCell16.InputWidth, units: Units, gates: Gates, lanes: 16, biasRows: 1);
        _scratch = new float[3 * 32];
        _output = new float[Units];

        // Both drivers must compute the same thing, bit for bit, or the comparison means nothing.
        float[] emitted = new float[Units], generic = new float[Units];
        Emitted();
        _output.CopyTo(emitted, 0);
        RuntimeGeneric();
        _output.CopyTo(generic, 0);
        if (!emitted.AsSpan().SequenceEqual(generic))
        {
            throw new InvalidOperationException("The two drivers disagree.");
        }
    }

    /// <summary>The loop as the emitter writes it (ModelEmitter.Drivers.cs, WriteDirection), for this size.</summary>
    [Benchmark(Baseline = true)]
    public void Emitted()
    {
        if (Units == 16)
        {
            EmittedLayer16(_input, _output);
        }
        else
        {
            EmittedLayer32(_input, _output);
        }
    }

    /// <summary>The same layer through <see cref="PrototypeRecurrentLayer{TCell}"/>.</summary>
    [Benchmark]
    public void RuntimeGeneric()
    {
        if (Units == 16)
        {
            PrototypeRecurrentLayer<LstmCell16>.Forward(_input, _output, _scratch, _packed);
        }
        else
        {
            PrototypeRecurrentLayer<LstmCell32>.Forward(_input, _output, _scratch, _packed);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmittedLayer16(ReadOnlySpan<float> input, Span<float> output)
    {
        const int Timesteps = 64;
        const int InputWidth = 8;
        const int Units = 16;
        const int Padded = 32;
        ref float x = ref MemoryMarshal.GetReference(input);
        Span<float> h = new Span<float>(_scratch, 0, Padded);
        Span<float> hNext = new Span<float>(_scratch, Padded, Padded);
        Span<float> c = new Span<float>(_scratch, 2 * Padded, Padded);
        h.Clear();
        c.Clear();
        for (int step = 0; step < Timesteps; step++)
        {
            CellAnatomyKernels.Lstm16Full(ref Unsafe.Add(ref x, step * InputWidth), ref MemoryMarshal.GetReference(h), ref MemoryMarshal.GetReference(hNext),
                ref MemoryMarshal.GetReference(c), ref GeneratedModelSupport.AlignedStart(_packed), (step & 1) != 0);
            Span<float> read = h;
            h = hNext;
            hNext = read;
        }

        h.Slice(0, Units).CopyTo(output);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmittedLayer32(ReadOnlySpan<float> input, Span<float> output)
    {
        const int Timesteps = 64;
        const int InputWidth = 8;
        const int Units = 32;
        const int Padded = 32;
        ref float x = ref MemoryMarshal.GetReference(input);
        Span<float> h = new Span<float>(_scratch, 0, Padded);
        Span<float> hNext = new Span<float>(_scratch, Padded, Padded);
        Span<float> c = new Span<float>(_scratch, 2 * Padded, Padded);
        h.Clear();
        c.Clear();
        for (int step = 0; step < Timesteps; step++)
        {
            CellAnatomyKernels.Lstm32Full(ref Unsafe.Add(ref x, step * InputWidth), ref MemoryMarshal.GetReference(h), ref MemoryMarshal.GetReference(hNext),
                ref MemoryMarshal.GetReference(c), ref GeneratedModelSupport.AlignedStart(_packed), (step & 1) != 0);
            Span<float> read = h;
            h = hNext;
            hNext = read;
        }

        h.Slice(0, Units).CopyTo(output);
    }
}

/// <summary>A recurrent cell as a runtime-generic driver would take it: sizes and one step, all static.</summary>
public interface IPrototypeCell
{
    static abstract int Timesteps { get; }

    static abstract int InputWidth { get; }

    static abstract int Units { get; }

    /// <summary>Floats of each state buffer: the units rounded up to whole vectors.</summary>
    static abstract int Padded { get; }

    /// <summary>One timestep: reads x and h, writes hNext, updates c.</summary>
    static abstract void Step(ref float x, ref float h, ref float hNext, ref float c, ref float weights, bool reverse);
}

/// <summary>The runtime-generic layer driver: one loop for every cell, specialized by the JIT for each cell struct.</summary>
public static class PrototypeRecurrentLayer<TCell>
    where TCell : struct, IPrototypeCell
{
    /// <summary>Runs the sequence from zero states and writes the last state to <paramref name="output"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, float[] scratch, float[] packed)
    {
        ref float x = ref MemoryMarshal.GetReference(input);
        Span<float> h = new Span<float>(scratch, 0, TCell.Padded);
        Span<float> hNext = new Span<float>(scratch, TCell.Padded, TCell.Padded);
        Span<float> c = new Span<float>(scratch, 2 * TCell.Padded, TCell.Padded);
        h.Clear();
        c.Clear();
        for (int step = 0; step < TCell.Timesteps; step++)
        {
            TCell.Step(ref Unsafe.Add(ref x, step * TCell.InputWidth), ref MemoryMarshal.GetReference(h), ref MemoryMarshal.GetReference(hNext),
                ref MemoryMarshal.GetReference(c), ref GeneratedModelSupport.AlignedStart(packed), (step & 1) != 0);
            Span<float> read = h;
            h = hNext;
            hNext = read;
        }

        h.Slice(0, TCell.Units).CopyTo(output);
    }
}

/// <summary>LSTM(16) over 64 steps of 8 inputs, with the copied 512-bit kernel.</summary>
public readonly struct LstmCell16 : IPrototypeCell
{
    public static int Timesteps => 64;

    public static int InputWidth => 8;

    public static int Units => 16;

    public static int Padded => 32;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref float x, ref float h, ref float hNext, ref float c, ref float weights, bool reverse) =>
        CellAnatomyKernels.Lstm16Full(ref x, ref h, ref hNext, ref c, ref weights, reverse);
}

/// <summary>LSTM(32) over 64 steps of 8 inputs, with the copied 512-bit kernel.</summary>
public readonly struct LstmCell32 : IPrototypeCell
{
    public static int Timesteps => 64;

    public static int InputWidth => 8;

    public static int Units => 32;

    public static int Padded => 32;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref float x, ref float h, ref float hNext, ref float c, ref float weights, bool reverse) =>
        CellAnatomyKernels.Lstm32Full(ref x, ref h, ref hNext, ref c, ref weights, reverse);
}
