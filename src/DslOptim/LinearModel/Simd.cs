using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace DslOptim.Kernels;

/// <summary>
/// The few vector operations the linear-model kernels need, at one width. The kernels are written once, generic
/// over the vector type and an implementing struct; both are structs, so the JIT compiles one specialized copy per
/// width and inlines every call.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <typeparam name="TV">The vector type of the width.</typeparam>
/// <remarks>
/// Nothing here may depend on the JIT tier: a tier-0 and a tier-1 copy of a kernel can run at the same time on two
/// threads, and they must round identically. So <see cref="Sum"/> folds in an explicit order instead of calling the
/// BCL's horizontal sum, and <see cref="MultiplyAdd"/> is either always fused (the BCL's software fallback of a fused
/// multiply-add is correctly rounded too) or always a multiply then an add (the JIT never contracts those).
/// </remarks>
internal interface ISimd<T, TV>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TV : unmanaged
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes +0.</summary>
    static abstract TV Zero { get; }

    /// <summary>Unaligned load of <see cref="Count"/> elements.</summary>
    static abstract unsafe TV Load(T* source);

    /// <summary>Unaligned store of <see cref="Count"/> elements.</summary>
    static abstract unsafe void Store(TV value, T* destination);

    /// <summary>Every lane = <paramref name="value"/>.</summary>
    static abstract TV Broadcast(T value);

    /// <summary>a·b + c lane-wise, fused exactly when <see cref="Simd.UseFma"/>.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    /// <summary>a + b lane-wise.</summary>
    static abstract TV Add(TV a, TV b);

    /// <summary>The sum of the lanes in a fixed order: halves are added pairwise down to one lane.</summary>
    static abstract T Sum(TV v);
}

/// <summary>Width selection and the scalar counterpart of <see cref="ISimd{T, TV}.MultiplyAdd"/>.</summary>
internal static class Simd
{
    /// <summary>
    /// Whether multiply-adds are fused, in vector and scalar code alike (so that a lane and a scalar tail element
    /// compute the same function). True on x64 with FMA3 and on Arm64; a JIT-time constant.
    /// </summary>
    public static bool UseFma
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Fma.IsSupported || AdvSimd.Arm64.IsSupported;
    }

    /// <summary>a·b + c, fused exactly when <see cref="UseFma"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd<T>(T a, T b, T c)
        where T : unmanaged, IFloatingPointIeee754<T> => UseFma ? T.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>The widest vector width the hardware accelerates: 512, 256 or 128 (128 also as the software fallback).</summary>
    public static int WidestBits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;
    }
}

/// <summary><see cref="ISimd{T, TV}"/> on <see cref="Vector512{T}"/>.</summary>
internal readonly struct Simd512<T> : ISimd<T, Vector512<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.Count;
    }

    public static Vector512<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(Vector512<T> value, T* destination) => Vector512.Store(value, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (!Simd.UseFma)
        {
            return (a * b) + c;
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> v) => Simd256<T>.Sum(v.GetLower() + v.GetUpper());
}

/// <summary><see cref="ISimd{T, TV}"/> on <see cref="Vector256{T}"/>.</summary>
internal readonly struct Simd256<T> : ISimd<T, Vector256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.Count;
    }

    public static Vector256<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(Vector256<T> value, T* destination) => Vector256.Store(value, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (!Simd.UseFma)
        {
            return (a * b) + c;
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> v) => Simd128<T>.Sum(v.GetLower() + v.GetUpper());
}

/// <summary><see cref="ISimd{T, TV}"/> on <see cref="Vector128{T}"/>.</summary>
internal readonly struct Simd128<T> : ISimd<T, Vector128<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<T>.Count;
    }

    public static Vector128<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<T>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector128<T> Load(T* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(Vector128<T> value, T* destination) => Vector128.Store(value, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (!Simd.UseFma)
        {
            return (a * b) + c;
        }

        if (typeof(T) == typeof(double))
        {
            return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> v)
    {
        // double: lane0 + lane1. float: (lane0 + lane2) + (lane1 + lane3), the same halving as the wider widths.
        if (typeof(T) == typeof(double))
        {
            return v.GetElement(0) + v.GetElement(1);
        }

        return (v.GetElement(0) + v.GetElement(2)) + (v.GetElement(1) + v.GetElement(3));
    }
}
