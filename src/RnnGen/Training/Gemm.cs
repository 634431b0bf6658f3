using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Training;

/// <summary>
/// The matrix products of training: <c>C += A · B</c> with <c>C</c> and <c>B</c> row-major (rows a stride apart) and
/// <c>A</c> read through a row stride and a column stride, so <c>A</c> may be a transposed view (<c>Hᵀ · dZ</c>, the
/// weight gradients summed over batch rows) or rows scattered through a cache (one timestep of every sequence in a
/// batch). Register-blocked: each micro-tile keeps a block of <c>C</c> (6 or 4 rows by two vectors with 512-bit vectors,
/// 4 rows by two vectors otherwise) in registers across the whole inner dimension, broadcasting one element of <c>A</c>
/// per row and reading two vectors of <c>B</c> per step, as BLIS's micro-kernels do (Van Zee and van de Geijn, "BLIS:
/// A Framework for Rapidly Instantiating BLAS Functionality", 2015). The panel of <c>B</c> a column block reads
/// (32 columns by the inner dimension) stays in L1 while every row block of <c>A</c> passes over it.
/// Vector512 where it is accelerated; otherwise <see cref="Vector{T}"/> (256 bits with AVX2, 128 with ARM64 AdvSimd).
/// Each element of <c>C</c> is summed in the order of the inner index, whatever the tiling, so results do not depend
/// on which micro-tile or edge path computed them.
/// </summary>
internal static class Gemm
{
    /// <summary>
    /// <c>C[i, j] += Σ_p A[i·aRowStride + p·aColumnStride] · B[p·bRowStride + j]</c> for <c>i &lt; m</c>,
    /// <c>j &lt; n</c>, <c>p &lt; k</c>; <c>C[i, j]</c> is <c>c[i·cRowStride + j]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short for the sizes and strides.</exception>
    public static void MultiplyAdd(int m, int n, int k, ReadOnlySpan<float> a, int aRowStride, int aColumnStride,
        ReadOnlySpan<float> b, int bRowStride, Span<float> c, int cRowStride)
    {
        if (m <= 0 || n <= 0 || k <= 0)
        {
            return;
        }

        // Bounds once, up front: the loops below read through refs without per-element checks.
        if ((long)(m - 1) * aRowStride + (long)(k - 1) * aColumnStride >= a.Length
            || (long)(k - 1) * bRowStride + n > b.Length
            || (long)(m - 1) * cRowStride + n > c.Length)
        {
            throw new ArgumentException($"Gemm: spans too short for {m} x {k} times {k} x {n} (a {a.Length}, b {b.Length}, c {c.Length}).");
        }

        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float b0 = ref MemoryMarshal.GetReference(b);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            if (m == 1)
            {
                // One row (a batch of 1): 64 columns per pass in four independent chains, where the tiles below would
                // run two (each column still sums its k products in order, so the results are the same bits).
                for (; j + 64 <= n; j += 64)
                {
                    Row512x4(k, ref a0, aColumnStride, ref Unsafe.Add(ref b0, j), bRowStride, ref Unsafe.Add(ref c0, j));
                }
            }

            for (; j + 32 <= n; j += 32)
            {
                int i = 0;
                for (; i + 6 <= m; i += 6)
                {
                    Tile512x6(k, ref Unsafe.Add(ref a0, i * aRowStride), aRowStride, aColumnStride, ref Unsafe.Add(ref b0, j), bRowStride, ref Unsafe.Add(ref c0, i * cRowStride + j), cRowStride);
                }

                if (i + 4 <= m)
                {
                    Tile512x4(k, ref Unsafe.Add(ref a0, i * aRowStride), aRowStride, aColumnStride, ref Unsafe.Add(ref b0, j), bRowStride, ref Unsafe.Add(ref c0, i * cRowStride + j), cRowStride);
                    i += 4;
                }

                for (; i < m; i++)
                {
                    Row512x2(k, ref Unsafe.Add(ref a0, i * aRowStride), aColumnStride, ref Unsafe.Add(ref b0, j), bRowStride, ref Unsafe.Add(ref c0, i * cRowStride + j));
                }
            }

            for (; j + 16 <= n; j += 16)
            {
                for (int i = 0; i < m; i++)
                {
                    Row512x1(k, ref Unsafe.Add(ref a0, i * aRowStride), aColumnStride, ref Unsafe.Add(ref b0, j), bRowStride, ref Unsafe.Add(ref c0, i * cRowStride + j));
                }
            }
        }

        if (Vector.IsHardwareAccelerated)
        {
            int lanes = Vector<float>.Count;
            for (; j + 2 * lanes <= n; j += 2 * lanes)
            {
                int i = 0;
                for (; i + 4 <= m; i += 4)
                {
                    TileVectorx4(k, ref Unsafe.Add(ref a0, i * aRowStride), aRowStride, aColumnStride, ref Unsafe.Add(ref b0, j), bRowStride, ref Unsafe.Add(ref c0, i * cRowStride + j), cRowStride);
                }

                for (; i < m; i++)
                {
                    RowVector(k, ref Unsafe.Add(ref a0, i * aRowStride), aColumnStride, ref Unsafe.Add(ref b0, j), bRowStride, ref Unsafe.Add(ref c0, i * cRowStride + j));
                    RowVector(k, ref Unsafe.Add(ref a0, i * aRowStride), aColumnStride, ref Unsafe.Add(ref b0, j + lanes), bRowStride, ref Unsafe.Add(ref c0, i * cRowStride + j + lanes));
                }
            }

            for (; j + lanes <= n; j += lanes)
            {
                for (int i = 0; i < m; i++)
                {
                    RowVector(k, ref Unsafe.Add(ref a0, i * aRowStride), aColumnStride, ref Unsafe.Add(ref b0, j), bRowStride, ref Unsafe.Add(ref c0, i * cRowStride + j));
                }
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; j + 4 <= n; j += 4)
            {
                for (int i = 0; i < m; i++)
                {
                    Row128(k, ref Unsafe.Add(ref a0, i * aRowStride), aColumnStride, ref Unsafe.Add(ref b0, j), bRowStride, ref Unsafe.Add(ref c0, i * cRowStride + j));
                }
            }
        }

        for (; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                ref float ai = ref Unsafe.Add(ref a0, i * aRowStride);
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    sum = Kernels.VectorMath.MultiplyAdd(Unsafe.Add(ref ai, p * aColumnStride), Unsafe.Add(ref b0, p * bRowStride + j), sum);
                }

                Unsafe.Add(ref c0, i * cRowStride + j) += sum;
            }
        }
    }

    /// <summary>
    /// <c>C[i, j] += Σ_p A[i·aRowStride + p] · B[j·bRowStride + p]</c>: <c>A · Bᵀ</c> as one inner product per element,
    /// both operands read along their rows. For products with few rows of <c>A</c> (batch 1), where transposing
    /// <c>B</c> for <see cref="MultiplyAdd"/> would cost as much as the product.
    /// </summary>
    public static void MultiplyAddTransposed(int m, int n, int k, ReadOnlySpan<float> a, int aRowStride, ReadOnlySpan<float> b, int bRowStride, Span<float> c, int cRowStride)
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> row = a.Slice(i * aRowStride, k);
            Span<float> target = c.Slice(i * cRowStride, n);
            for (int j = 0; j < n; j++)
            {
                target[j] += TrainingMath.Dot(row, b.Slice(j * bRowStride, k));
            }
        }
    }

    /// <summary>
    /// Whether a product <c>A · Bᵀ</c> with <paramref name="rows"/> rows of <c>A</c> should transpose <c>B</c> once
    /// and run <see cref="MultiplyAdd"/> (many rows: the register-blocked kernel repays the copy) rather than
    /// <see cref="MultiplyAddTransposed"/> (a few rows: inner products are cheaper than the copy).
    /// </summary>
    public static bool TransposeFor(int rows) => rows >= 4;

    // 6 rows of C by 32 columns, in 12 accumulators: FMA latency 4 x 2 pipes on Zen 4/5 needs at least 8 independent ones.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512x6(int k, ref float a, int aRow, int aCol, ref float b, int bRow, ref float c, int cRow)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        Vector512<float> c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        ref float a1 = ref Unsafe.Add(ref a, aRow);
        ref float a2 = ref Unsafe.Add(ref a, 2 * aRow);
        ref float a3 = ref Unsafe.Add(ref a, 3 * aRow);
        ref float a4 = ref Unsafe.Add(ref a, 4 * aRow);
        ref float a5 = ref Unsafe.Add(ref a, 5 * aRow);
        for (int p = 0; p < k; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * bRow);
            Vector512<float> b0 = Vector512.LoadUnsafe(ref bp);
            Vector512<float> b1 = Vector512.LoadUnsafe(ref bp, 16);
            int ap = p * aCol;
            Vector512<float> x = Vector512.Create(Unsafe.Add(ref a, ap));
            c00 = Fma(x, b0, c00);
            c01 = Fma(x, b1, c01);
            x = Vector512.Create(Unsafe.Add(ref a1, ap));
            c10 = Fma(x, b0, c10);
            c11 = Fma(x, b1, c11);
            x = Vector512.Create(Unsafe.Add(ref a2, ap));
            c20 = Fma(x, b0, c20);
            c21 = Fma(x, b1, c21);
            x = Vector512.Create(Unsafe.Add(ref a3, ap));
            c30 = Fma(x, b0, c30);
            c31 = Fma(x, b1, c31);
            x = Vector512.Create(Unsafe.Add(ref a4, ap));
            c40 = Fma(x, b0, c40);
            c41 = Fma(x, b1, c41);
            x = Vector512.Create(Unsafe.Add(ref a5, ap));
            c50 = Fma(x, b0, c50);
            c51 = Fma(x, b1, c51);
        }

        Store512(ref c, c00, c01);
        Store512(ref Unsafe.Add(ref c, cRow), c10, c11);
        Store512(ref Unsafe.Add(ref c, 2 * cRow), c20, c21);
        Store512(ref Unsafe.Add(ref c, 3 * cRow), c30, c31);
        Store512(ref Unsafe.Add(ref c, 4 * cRow), c40, c41);
        Store512(ref Unsafe.Add(ref c, 5 * cRow), c50, c51);
    }

    // 4 rows by 32 columns, 8 accumulators (still enough independent chains): the rows a 6-row tiling leaves, e.g. 16 = 6 + 6 + 4.
    private static void Tile512x4(int k, ref float a, int aRow, int aCol, ref float b, int bRow, ref float c, int cRow)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        ref float a1 = ref Unsafe.Add(ref a, aRow);
        ref float a2 = ref Unsafe.Add(ref a, 2 * aRow);
        ref float a3 = ref Unsafe.Add(ref a, 3 * aRow);
        for (int p = 0; p < k; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * bRow);
            Vector512<float> b0 = Vector512.LoadUnsafe(ref bp);
            Vector512<float> b1 = Vector512.LoadUnsafe(ref bp, 16);
            int ap = p * aCol;
            Vector512<float> x = Vector512.Create(Unsafe.Add(ref a, ap));
            c00 = Fma(x, b0, c00);
            c01 = Fma(x, b1, c01);
            x = Vector512.Create(Unsafe.Add(ref a1, ap));
            c10 = Fma(x, b0, c10);
            c11 = Fma(x, b1, c11);
            x = Vector512.Create(Unsafe.Add(ref a2, ap));
            c20 = Fma(x, b0, c20);
            c21 = Fma(x, b1, c21);
            x = Vector512.Create(Unsafe.Add(ref a3, ap));
            c30 = Fma(x, b0, c30);
            c31 = Fma(x, b1, c31);
        }

        Store512(ref c, c00, c01);
        Store512(ref Unsafe.Add(ref c, cRow), c10, c11);
        Store512(ref Unsafe.Add(ref c, 2 * cRow), c20, c21);
        Store512(ref Unsafe.Add(ref c, 3 * cRow), c30, c31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(ref float c, Vector512<float> low, Vector512<float> high)
    {
        (Vector512.LoadUnsafe(ref c) + low).StoreUnsafe(ref c);
        (Vector512.LoadUnsafe(ref c, 16) + high).StoreUnsafe(ref c, 16);
    }

    private static void Row512x2(int k, ref float a, int aCol, ref float b, int bRow, ref float c)
    {
        Vector512<float> c0 = Vector512<float>.Zero, c1 = c0;
        for (int p = 0; p < k; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * bRow);
            Vector512<float> x = Vector512.Create(Unsafe.Add(ref a, p * aCol));
            c0 = Fma(x, Vector512.LoadUnsafe(ref bp), c0);
            c1 = Fma(x, Vector512.LoadUnsafe(ref bp, 16), c1);
        }

        Store512(ref c, c0, c1);
    }

    private static void Row512x4(int k, ref float a, int aCol, ref float b, int bRow, ref float c)
    {
        Vector512<float> c0 = Vector512<float>.Zero, c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < k; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * bRow);
            Vector512<float> x = Vector512.Create(Unsafe.Add(ref a, p * aCol));
            c0 = Fma(x, Vector512.LoadUnsafe(ref bp), c0);
            c1 = Fma(x, Vector512.LoadUnsafe(ref bp, 16), c1);
            c2 = Fma(x, Vector512.LoadUnsafe(ref bp, 32), c2);
            c3 = Fma(x, Vector512.LoadUnsafe(ref bp, 48), c3);
        }

        Store512(ref c, c0, c1);
        Store512(ref Unsafe.Add(ref c, 32), c2, c3);
    }

    private static void Row512x1(int k, ref float a, int aCol, ref float b, int bRow, ref float c)
    {
        Vector512<float> c0 = Vector512<float>.Zero;
        for (int p = 0; p < k; p++)
        {
            c0 = Fma(Vector512.Create(Unsafe.Add(ref a, p * aCol)), Vector512.LoadUnsafe(ref Unsafe.Add(ref b, p * bRow)), c0);
        }

        (Vector512.LoadUnsafe(ref c) + c0).StoreUnsafe(ref c);
    }

    private static void TileVectorx4(int k, ref float a, int aRow, int aCol, ref float b, int bRow, ref float c, int cRow)
    {
        int lanes = Vector<float>.Count;
        Vector<float> c00 = Vector<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        ref float a1 = ref Unsafe.Add(ref a, aRow);
        ref float a2 = ref Unsafe.Add(ref a, 2 * aRow);
        ref float a3 = ref Unsafe.Add(ref a, 3 * aRow);
        for (int p = 0; p < k; p++)
        {
            ref float bp = ref Unsafe.Add(ref b, p * bRow);
            Vector<float> b0 = Vector.LoadUnsafe(ref bp);
            Vector<float> b1 = Vector.LoadUnsafe(ref bp, (nuint)lanes);
            int ap = p * aCol;
            var x = new Vector<float>(Unsafe.Add(ref a, ap));
            c00 = Fma(x, b0, c00);
            c01 = Fma(x, b1, c01);
            x = new Vector<float>(Unsafe.Add(ref a1, ap));
            c10 = Fma(x, b0, c10);
            c11 = Fma(x, b1, c11);
            x = new Vector<float>(Unsafe.Add(ref a2, ap));
            c20 = Fma(x, b0, c20);
            c21 = Fma(x, b1, c21);
            x = new Vector<float>(Unsafe.Add(ref a3, ap));
            c30 = Fma(x, b0, c30);
            c31 = Fma(x, b1, c31);
        }

        StoreVector(ref c, c00, c01);
        StoreVector(ref Unsafe.Add(ref c, cRow), c10, c11);
        StoreVector(ref Unsafe.Add(ref c, 2 * cRow), c20, c21);
        StoreVector(ref Unsafe.Add(ref c, 3 * cRow), c30, c31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreVector(ref float c, Vector<float> low, Vector<float> high)
    {
        nuint lanes = (nuint)Vector<float>.Count;
        (Vector.LoadUnsafe(ref c) + low).StoreUnsafe(ref c);
        (Vector.LoadUnsafe(ref c, lanes) + high).StoreUnsafe(ref c, lanes);
    }

    private static void RowVector(int k, ref float a, int aCol, ref float b, int bRow, ref float c)
    {
        Vector<float> c0 = Vector<float>.Zero;
        for (int p = 0; p < k; p++)
        {
            c0 = Fma(new Vector<float>(Unsafe.Add(ref a, p * aCol)), Vector.LoadUnsafe(ref Unsafe.Add(ref b, p * bRow)), c0);
        }

        (Vector.LoadUnsafe(ref c) + c0).StoreUnsafe(ref c);
    }

    private static void Row128(int k, ref float a, int aCol, ref float b, int bRow, ref float c)
    {
        Vector128<float> c0 = Vector128<float>.Zero;
        for (int p = 0; p < k; p++)
        {
            c0 = Fma(Vector128.Create(Unsafe.Add(ref a, p * aCol)), Vector128.LoadUnsafe(ref Unsafe.Add(ref b, p * bRow)), c0);
        }

        (Vector128.LoadUnsafe(ref c) + c0).StoreUnsafe(ref c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Kernels.VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Kernels.VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Fma(Vector<float> a, Vector<float> b, Vector<float> c)
    {
#if NET9_0_OR_GREATER
        return Vector.MultiplyAddEstimate(a, b, c); // fused only where the CPU has FMA (Kernels.VectorMath's remarks)
#else
        return a * b + c;
#endif
    }
}
