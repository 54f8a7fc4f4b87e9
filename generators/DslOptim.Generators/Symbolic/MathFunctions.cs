using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace DslOptim.Generators.Symbolic;

/// <summary>The math functions a per-element formula may call.</summary>
internal enum MathFunction
{
    Abs,
    Sqrt,
    Exp,
    Log,
    Pow,
    Max,
    Min,
    Tanh,
    Atan,
    Sign,
    Cosh,
    Sinh,
    Atan2,
}

/// <summary>
/// Everything the pipeline knows about one math function, in one row: its C# name (what the parser
/// accepts), its arity, how it reads in math, how it folds on constants, its derivative rule and how it
/// lowers to generic scalar and vector code.
/// </summary>
/// <param name="Function">The IR operation.</param>
/// <param name="Name">The member name on <c>System.Math</c>.</param>
/// <param name="Arity">Number of arguments.</param>
/// <param name="MathName">How a comment writes it (<c>|x|</c> and <c>√x</c> are special-cased by the renderer).</param>
/// <param name="Evaluate">Constant folding.</param>
/// <param name="Derivative">d/dx f(u, v) given the arguments and their derivatives (the chain rule included).</param>
/// <param name="ScalarLowering">The generic scalar call, on <c>T : IFloatingPointIeee754&lt;T&gt;</c>.</param>
/// <param name="VectorLowering">The runtime's <c>VectorMath</c> member for Vector128/256/512.</param>
internal sealed record MathFunctionInfo(
    MathFunction Function,
    string Name,
    int Arity,
    string MathName,
    Func<double[], double> Evaluate,
    Func<ImmutableArray<Expr>, ImmutableArray<Expr>, Expr> Derivative,
    string ScalarLowering,
    string VectorLowering);

internal static class MathFunctions
{
    /// <summary>The table, one row per supported function.</summary>
    public static readonly ImmutableArray<MathFunctionInfo> All = ImmutableArray.Create(
        // |u|′ = sign(u)·u′ (0 at u = 0: a subgradient; the analysis flags the kink).
        Row(MathFunction.Abs, 1, "abs", a => Math.Abs(a[0]),
            (u, d) => Build.Multiply(Build.Call(MathFunction.Sign, u[0]), d[0])),
        // √u′ = u′ / (2√u)
        Row(MathFunction.Sqrt, 1, "√", a => Math.Sqrt(a[0]),
            (u, d) => Build.Divide(d[0], Build.Multiply(Constant.Two, Build.Call(MathFunction.Sqrt, u[0])))),
        // exp(u)′ = exp(u)·u′
        Row(MathFunction.Exp, 1, "exp", a => Math.Exp(a[0]),
            (u, d) => Build.Multiply(Build.Call(MathFunction.Exp, u[0]), d[0])),
        // log(u)′ = u′/u
        Row(MathFunction.Log, 1, "log", a => Math.Log(a[0]),
            (u, d) => Build.Divide(d[0], u[0])),
        // (u^v)′ = v·u^(v−1)·u′ when v is constant in x, else u^v·(v′·log u + v·u′/u)
        Row(MathFunction.Pow, 2, "pow", a => Math.Pow(a[0], a[1]), PowDerivative),
        // max(a, b)′ = a ≥ b ? a′ : b′ (one-sided at a tie; the analysis checks the kink)
        Row(MathFunction.Max, 2, "max", a => Math.Max(a[0], a[1]),
            (u, d) => Build.Conditional(new Comparison(ComparisonOperator.GreaterOrEqual, u[0], u[1]), d[0], d[1])),
        Row(MathFunction.Min, 2, "min", a => Math.Min(a[0], a[1]),
            (u, d) => Build.Conditional(new Comparison(ComparisonOperator.LessOrEqual, u[0], u[1]), d[0], d[1])),
        // tanh(u)′ = (1 − tanh²u)·u′
        Row(MathFunction.Tanh, 1, "tanh", a => Math.Tanh(a[0]),
            (u, d) =>
            {
                var tanh = Build.Call(MathFunction.Tanh, u[0]);
                return Build.Multiply(Build.Subtract(Constant.One, Build.Multiply(tanh, tanh)), d[0]);
            }),
        // atan(u)′ = u′/(1 + u²)
        Row(MathFunction.Atan, 1, "atan", a => Math.Atan(a[0]),
            (u, d) => Build.Divide(d[0], Build.Add(Constant.One, Build.Multiply(u[0], u[0])))),
        // sign(u)′ = 0 away from u = 0
        Row(MathFunction.Sign, 1, "sign", a => double.IsNaN(a[0]) ? 0.0 : Math.Sign(a[0]),
            (u, d) => Constant.Zero),
        Row(MathFunction.Cosh, 1, "cosh", a => Math.Cosh(a[0]),
            (u, d) => Build.Multiply(Build.Call(MathFunction.Sinh, u[0]), d[0])),
        Row(MathFunction.Sinh, 1, "sinh", a => Math.Sinh(a[0]),
            (u, d) => Build.Multiply(Build.Call(MathFunction.Cosh, u[0]), d[0])),
        // atan2(y, x)′ = (x·y′ − y·x′)/(x² + y²): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²) (undefined at the origin).
        Row(MathFunction.Atan2, 2, "atan2", a => Math.Atan2(a[0], a[1]), Atan2Derivative));

    private static readonly Dictionary<string, MathFunctionInfo> ByName = Index();

    public static MathFunctionInfo Get(MathFunction function) => All[(int)function];

    public static bool TryGet(string name, out MathFunctionInfo info) => ByName.TryGetValue(name, out info!);

    /// <summary>The supported names, for diagnostics: "Math.Abs/Sqrt/…".</summary>
    public static string SupportedList()
    {
        var names = new string[All.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = All[i].Name;
        }
        return "Math." + string.Join("/", names);
    }

    private static Expr Atan2Derivative(ImmutableArray<Expr> u, ImmutableArray<Expr> d)
    {
        var (y, x) = (u[0], u[1]);
        var (dy, dx) = (d[0], d[1]);
        var radius = Build.Add(Build.Multiply(x, x), Build.Multiply(y, y));
        return Build.Divide(Build.Subtract(Build.Multiply(x, dy), Build.Multiply(y, dx)), radius);
    }

    private static Expr PowDerivative(ImmutableArray<Expr> u, ImmutableArray<Expr> d)
    {
        var (baseExpr, exponent) = (u[0], u[1]);
        var (dBase, dExponent) = (d[0], d[1]);
        if (dExponent is Constant { Value: 0.0 })
        {
            var lowered = Build.Pow(baseExpr, Build.Subtract(exponent, Constant.One));
            return Build.Multiply(Build.Multiply(exponent, lowered), dBase);
        }
        var pow = Build.Pow(baseExpr, exponent);
        var inner = Build.Add(
            Build.Multiply(dExponent, Build.Call(MathFunction.Log, baseExpr)),
            Build.Divide(Build.Multiply(exponent, dBase), baseExpr));
        return Build.Multiply(pow, inner);
    }

    private static MathFunctionInfo Row(
        MathFunction function,
        int arity,
        string mathName,
        Func<double[], double> evaluate,
        Func<ImmutableArray<Expr>, ImmutableArray<Expr>, Expr> derivative)
    {
        var name = function.ToString();
        // T.Sign returns an int and throws on NaN; the runtime's ScalarMath.Sign returns T like the vector path.
        var scalar = function == MathFunction.Sign ? "global::DslOptim.Kernels.ScalarMath.Sign" : "T." + name;
        return new MathFunctionInfo(function, name, arity, mathName, evaluate, derivative, scalar, "global::DslOptim.Kernels.VectorMath." + name);
    }

    private static Dictionary<string, MathFunctionInfo> Index()
    {
        var index = new Dictionary<string, MathFunctionInfo>(StringComparer.Ordinal);
        foreach (var row in All)
        {
            index[row.Name] = row;
        }
        return index;
    }
}
