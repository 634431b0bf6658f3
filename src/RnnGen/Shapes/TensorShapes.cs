namespace RnnGen.Shapes;

// Shapes as types, so that the compiler can check that two separately declared models fit together: a tensor of shape
// [10, 8] implements ITensor<Size<D1, D0>, Size<D8>>, and a model whose input is [10, 8] accepts any value type that
// implements it (see the generated Forward<TInput>). Sizes are written in decimal digits so that every size has a
// type without generating any; the types are markers only and are never instantiated.

/// <summary>The digit 0 of a <see cref="Size{T1}"/>.</summary>
public sealed class D0
{
    private D0()
    {
    }
}

/// <summary>The digit 1 of a <see cref="Size{T1}"/>.</summary>
public sealed class D1
{
    private D1()
    {
    }
}

/// <summary>The digit 2 of a <see cref="Size{T1}"/>.</summary>
public sealed class D2
{
    private D2()
    {
    }
}

/// <summary>The digit 3 of a <see cref="Size{T1}"/>.</summary>
public sealed class D3
{
    private D3()
    {
    }
}

/// <summary>The digit 4 of a <see cref="Size{T1}"/>.</summary>
public sealed class D4
{
    private D4()
    {
    }
}

/// <summary>The digit 5 of a <see cref="Size{T1}"/>.</summary>
public sealed class D5
{
    private D5()
    {
    }
}

/// <summary>The digit 6 of a <see cref="Size{T1}"/>.</summary>
public sealed class D6
{
    private D6()
    {
    }
}

/// <summary>The digit 7 of a <see cref="Size{T1}"/>.</summary>
public sealed class D7
{
    private D7()
    {
    }
}

/// <summary>The digit 8 of a <see cref="Size{T1}"/>.</summary>
public sealed class D8
{
    private D8()
    {
    }
}

/// <summary>The digit 9 of a <see cref="Size{T1}"/>.</summary>
public sealed class D9
{
    private D9()
    {
    }
}

/// <summary>A size of 1 decimal digit written as types, most significant first: <c>Size&lt;D1, D2, D8&gt;</c> is 128.</summary>
public sealed class Size<T1>
{
    private Size()
    {
    }
}

/// <summary>A size of 2 decimal digits written as types, most significant first: <c>Size&lt;D1, D2, D8&gt;</c> is 128.</summary>
public sealed class Size<T1, T2>
{
    private Size()
    {
    }
}

/// <summary>A size of 3 decimal digits written as types, most significant first: <c>Size&lt;D1, D2, D8&gt;</c> is 128.</summary>
public sealed class Size<T1, T2, T3>
{
    private Size()
    {
    }
}

/// <summary>A size of 4 decimal digits written as types, most significant first: <c>Size&lt;D1, D2, D8&gt;</c> is 128.</summary>
public sealed class Size<T1, T2, T3, T4>
{
    private Size()
    {
    }
}

/// <summary>A size of 5 decimal digits written as types, most significant first: <c>Size&lt;D1, D2, D8&gt;</c> is 128.</summary>
public sealed class Size<T1, T2, T3, T4, T5>
{
    private Size()
    {
    }
}

/// <summary>A size of 6 decimal digits written as types, most significant first: <c>Size&lt;D1, D2, D8&gt;</c> is 128.</summary>
public sealed class Size<T1, T2, T3, T4, T5, T6>
{
    private Size()
    {
    }
}

/// <summary>A size of 7 decimal digits written as types, most significant first: <c>Size&lt;D1, D2, D8&gt;</c> is 128.</summary>
public sealed class Size<T1, T2, T3, T4, T5, T6, T7>
{
    private Size()
    {
    }
}

/// <summary>A fixed-size vector of <typeparamref name="TWidth"/> floats (a generated <c>InputStep</c>, <c>OutputStep</c> or <c>State</c>).</summary>
/// <typeparam name="TWidth">The width, as a <c>Size&lt;...&gt;</c>.</typeparam>
public interface ITensor<TWidth>
{
}

/// <summary>A fixed-size sequence of <typeparamref name="TSteps"/> timesteps of <typeparamref name="TWidth"/> floats (a generated <c>Input</c> or <c>OutputSequence</c>).</summary>
/// <typeparam name="TSteps">The timesteps, as a <c>Size&lt;...&gt;</c>.</typeparam>
/// <typeparam name="TWidth">The features per timestep, as a <c>Size&lt;...&gt;</c>.</typeparam>
public interface ITensor<TSteps, TWidth>
{
}
