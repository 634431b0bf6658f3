using System;
using System.Runtime.CompilerServices;

namespace RnnGen.Tests;

/// <summary>
/// The packed-weight buffers of generated models start on a 64-byte boundary (a 512-bit load that straddles two
/// cache lines costs two), and stay there: the buffer is pinned, so no garbage collection moves it.
/// </summary>
public unsafe class AlignedWeightsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(5248)]
    public void Aligned_buffers_start_on_64_bytes_hold_the_length_and_survive_collections(int length)
    {
        // Several buffers, so that some of the underlying arrays start off a 64-byte boundary.
        for (int attempt = 0; attempt < 8; attempt++)
        {
            float[] buffer = GeneratedModelSupport.AllocateAligned(length);
            nint before = (nint)Unsafe.AsPointer(ref GeneratedModelSupport.AlignedStart(buffer));
            Assert.Equal(0, before % 64);

            // A span made with CreateSpan is not bounds-checked against the array: check that it ends inside it.
            nint arrayStart = (nint)Unsafe.AsPointer(ref buffer[0]);
            nint arrayEnd = arrayStart + buffer.Length * sizeof(float);
            Assert.True(before + length * sizeof(float) <= arrayEnd, $"the aligned span of {length} floats ends past the array");

            Span<float> span = GeneratedModelSupport.AlignedSpan(buffer, length);
            Assert.Equal(length, span.Length);
            Assert.True(Unsafe.AreSame(ref span[0], ref GeneratedModelSupport.AlignedStart(buffer)));

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            Assert.Equal(before, (nint)Unsafe.AsPointer(ref GeneratedModelSupport.AlignedStart(buffer)));
        }
    }
}
