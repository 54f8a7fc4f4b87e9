using System;
using System.Collections.Generic;
using System.Numerics;
using DslOptim.Generators.Analysis;
using DslOptim.Generators.Symbolic;
using Xunit;

namespace DslOptim.Generators.Tests;

/// <summary>
/// The simplifier's share of a common factor, P − a·(P/(a + b)) = P·(b/(a + b)) (<see cref="Build.Subtract"/>), the
/// exact sign(x)·|x| = x, sign(x)·(|x|/y) = x/y and sign(x)·x = |x| (<see cref="Build.Multiply"/>), and the quotient rule's
/// (u/(c + v))′ = c·u′/(c + v)² when u′·v = u·v′ (<see cref="Derivative"/>): together they turn Adam without momentum's
/// φ′ = sign(z) − ε·(sign(z)/(ε + |z|)) into z/(ε + |z|) and its φ″ into ε/(ε + |z|)².
/// </summary>
public class ShareOfAFactorTests
{
    private static readonly Symbol P = new("P", SymbolRole.Hyperparameter);
    private static readonly Symbol Q = new("Q", SymbolRole.Hyperparameter);
    private static readonly Symbol A = new("Eps", SymbolRole.Hyperparameter);
    private static readonly Symbol C = new("Delta", SymbolRole.Hyperparameter);
    private static readonly Symbol X = new("x", SymbolRole.Variable);
    private static readonly Symbol Z = new("z", SymbolRole.Variable);

    private static readonly double Roundoff = Math.Pow(2, -53);

    private static Binary Sum(Expr left, Expr right) => new(BinaryOperator.Add, left, right);

    private static Binary Difference(Expr left, Expr right) => new(BinaryOperator.Subtract, left, right);

    private static Binary Quotient(Expr left, Expr right) => new(BinaryOperator.Divide, left, right);

    private static Binary Product(Expr left, Expr right) => new(BinaryOperator.Multiply, left, right);

    private static Call Sign(Expr x) => Call.Of(MathFunction.Sign, x);

    private static Call Abs(Expr x) => Call.Of(MathFunction.Abs, x);

    /// <summary>Every form of a·P/(a + b) the builders leave, for a given a + b.</summary>
    private static Expr[] ShareForms(Expr a, Expr p, Expr sum) => new Expr[]
    {
        Product(a, Quotient(p, sum)),       // a·(P/(a + b)), what the derivative of a·log(a + b) makes
        Product(Quotient(p, sum), a),       // (P/(a + b))·a
        Quotient(Product(a, p), sum),       // (a·P)/(a + b)
        Quotient(Product(p, a), sum),       // (P·a)/(a + b)
        Product(Quotient(a, sum), p),       // (a/(a + b))·P
        Product(p, Quotient(a, sum)),       // P·(a/(a + b))
    };

    private static Bindings At(double p, double a) => new(new Dictionary<string, double> { ["P"] = p, ["Eps"] = a, ["Delta"] = 1.0, ["Q"] = 3.0 }, "x");

    [Fact]
    public void P_minus_a_share_of_P_is_the_other_share_of_P_in_every_form()
    {
        foreach (var sum in new[] { Sum(A, X), Sum(X, A) })
        {
            var expected = Product(P, Quotient(X, sum));
            foreach (var term in ShareForms(A, P, sum))
            {
                Assert.Equal(expected, Build.Subtract(P, term));
                Assert.Equal(expected, Simplifier.Simplify(Difference(P, term)));
                // a·(P/(a + b)) − P = −P·(b/(a + b)), and P + (−term) reaches the rule through x + (−y) = x − y.
                Assert.Equal(new Negate(expected), Build.Subtract(term, P));
                Assert.Equal(expected, Build.Add(P, Build.Negate(term)));
                Assert.Equal(expected, Build.Add(Build.Negate(term), P));
            }
        }
        // The share of the other term: P − b·(P/(a + b)) = P·(a/(a + b)).
        Assert.Equal(Product(P, Quotient(A, Sum(A, X))), Build.Subtract(P, Product(X, Quotient(P, Sum(A, X)))));
        // A negated factor: −Q − a·(−Q/(a + b)) = −(Q·(b/(a + b))).
        var negated = Build.Negate(Q);
        Assert.Equal(new Negate(Product(Q, Quotient(X, Sum(A, X)))), Build.Subtract(negated, Build.Multiply(A, Build.Divide(negated, Sum(A, X)))));
        // A constant factor: 2 − a·(2/(a + b)) = 2·(b/(a + b)).
        Assert.Equal(Product(Constant.Two, Quotient(X, Sum(A, X))), Simplifier.Simplify(Difference(Constant.Two, Product(A, Quotient(Constant.Two, Sum(A, X))))));
        Assert.Equal("P·(x/(Eps + x))", MathRenderer.Render(Build.Subtract(P, Product(A, Quotient(P, Sum(A, X))))));
    }

    [Fact]
    public void Other_differences_are_left_alone()
    {
        var sum = Sum(A, X);
        Expr[] untouched =
        {
            Difference(P, Product(A, Quotient(Q, sum))),              // P − a·(Q/(a + b)): another factor
            Difference(P, Product(C, Quotient(P, sum))),              // P − c·(P/(a + b)): c not a term of the sum
            Difference(P, Product(A, Quotient(P, Sum(C, X)))),        // P − a·(P/(c + b))
            Difference(P, Product(A, Quotient(P, Product(A, X)))),    // P − a·(P/(a·b))
            Difference(P, Product(A, Product(P, sum))),               // P − a·(P·(a + b))
            Difference(P, Product(A, Quotient(sum, P))),              // P − a·((a + b)/P)
            Sum(P, Product(A, Quotient(P, sum))),                     // P + a·(P/(a + b)): no difference
            Difference(Q, Quotient(Product(A, P), sum)),              // Q − (a·P)/(a + b)
            Difference(P, Quotient(Product(A, P), Sum(C, X))),        // P − (a·P)/(c + b)
            Difference(P, Quotient(Product(C, P), sum)),              // P − (c·P)/(a + b)
            Difference(P, Product(Quotient(A, sum), Q)),              // P − (a/(a + b))·Q
            Difference(P, Product(Quotient(A, Sum(C, X)), P)),        // P − (a/(c + b))·P
            Difference(P, Product(Quotient(Q, sum), P)),              // P − (Q/(a + b))·P
            Difference(P, Quotient(A, sum)),                          // P − a/(a + b): a factor P only on the left
        };
        foreach (var expr in untouched)
        {
            Assert.Equal(expr, Simplifier.Simplify(expr));
        }
    }

    [Fact]
    public void Sign_times_magnitude_in_every_order()
    {
        var u = Difference(X, C); // a compound argument: x − Delta
        foreach (var x in new Expr[] { X, u })
        {
            Assert.Equal(x, Build.Multiply(Sign(x), Abs(x)));
            Assert.Equal(x, Build.Multiply(Abs(x), Sign(x)));
            Assert.Equal(Quotient(x, Sum(A, Abs(x))), Build.Multiply(Sign(x), Quotient(Abs(x), Sum(A, Abs(x)))));
            Assert.Equal(Quotient(x, A), Build.Multiply(Quotient(Abs(x), A), Sign(x)));
            Assert.Equal(Abs(x), Build.Multiply(Sign(x), x));
            Assert.Equal(Abs(x), Build.Multiply(x, Sign(x)));
            Assert.Equal(x, Simplifier.Simplify(Product(Sign(x), Abs(x))));
        }
        // sign(z)·z² = (sign(z)·z)·z becomes |z|·z.
        Assert.Equal(Product(Abs(Z), Z), Simplifier.Simplify(Product(Product(Sign(Z), Z), Z)));
    }

    [Fact]
    public void Other_products_with_a_sign_are_left_alone()
    {
        Expr[] untouched =
        {
            Product(Sign(X), Abs(C)),                  // sign(x)·|c|
            Product(Sign(X), Quotient(Abs(C), A)),     // sign(x)·(|c|/a)
            Product(Sign(X), Quotient(A, Abs(X))),     // sign(x)·(a/|x|): |x| in the denominator
            Product(Sign(X), C),                       // sign(x)·c
            Product(Sign(X), Sign(X)),                 // sign(x)·sign(x)
            Product(Abs(X), Abs(X)),                   // |x|·|x|
            Product(Sign(X), Product(Abs(X), A)),      // sign(x)·(|x|·a): not one of the forms
            Product(Sign(Abs(X)), X),                  // sign(|x|)·x
        };
        foreach (var expr in untouched)
        {
            Assert.Equal(expr, Simplifier.Simplify(expr));
        }
    }

    /// <summary>
    /// The rewritten forms are the same function: within a few roundings of each other where neither overflows (the
    /// original's own error is ≲ u·|P|·(1 + |a/(a + b)|)), the same signed infinity or both NaN where a + b = 0, including
    /// zeros of both signs for P, a and b.
    /// </summary>
    [Fact]
    public void The_share_rewrite_is_the_same_function()
    {
        var sum = Sum(A, X);
        var forms = ShareForms(A, P, sum);
        var rewritten = Build.Subtract(P, forms[0]);
        var random = new Random(11);
        double Draw()
        {
            var pick = random.Next(12);
            return pick == 0 ? 0.0 : pick == 1 ? -0.0 : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7));
        }
        for (var i = 0; i < 20000; i++)
        {
            var (p, a, b) = (Draw(), Draw(), Draw());
            var bindings = At(p, a);
            var after = PointEvaluator.Evaluate(rewritten, b, bindings);
            foreach (var form in forms)
            {
                var before = PointEvaluator.Evaluate(Difference(P, form), b, bindings);
                if (a + b == 0)
                {
                    // a = −b: P·(b/0) and P − a·(P/0) are the same signed infinity for P ≠ 0, both NaN for P = 0 or a = b = 0.
                    Assert.True(before.Equals(after), $"P = {p:R}, a = {a:R}, b = {b:R}: {MathRenderer.Render(form)} gives {before:R} but the rewrite {after:R}");
                    continue;
                }
                var share = Math.Abs(a / (a + b));
                Assert.True(Math.Abs(before - after) <= 8 * Roundoff * Math.Abs(p) * (1 + share),
                    $"P = {p:R}, a = {a:R}, b = {b:R}: P − {MathRenderer.Render(form)} = {before:R} but P·(b/(a + b)) = {after:R}");
            }
        }
    }

    /// <summary>The documented caveat: at b = ±∞ the original is its limit P, the rewrite ∞/∞ = NaN; where a + b overflows the original gives P and the rewrite 0.</summary>
    [Fact]
    public void The_share_rewrite_differs_only_where_b_or_a_plus_b_overflows()
    {
        var original = Difference(P, Product(A, Quotient(P, Sum(A, X))));
        var rewritten = Simplifier.Simplify(original);
        foreach (var b in new[] { double.PositiveInfinity, double.NegativeInfinity })
        {
            Assert.Equal(3.0, PointEvaluator.Evaluate(original, b, At(3.0, 0.5)));
            Assert.True(double.IsNaN(PointEvaluator.Evaluate(rewritten, b, At(3.0, 0.5))));
        }
        // a = b = 10³⁰⁸: the exact value is P/2.
        Assert.Equal(3.0, PointEvaluator.Evaluate(original, 1e308, At(3.0, 1e308)));
        Assert.Equal(0.0, PointEvaluator.Evaluate(rewritten, 1e308, At(3.0, 1e308)));
    }

    /// <summary>
    /// The sign rewrites are exact: bit for bit equal (or both NaN) on every input but x = −0, where the runtime's sign(−0)
    /// = +0 makes the two forms zeros (or NaNs) of opposite sign.
    /// </summary>
    [Fact]
    public void The_sign_rewrites_are_exact()
    {
        var y = C;
        var pairs = new (Expr Original, Expr Rewritten)[]
        {
            (Product(Sign(X), Abs(X)), X),
            (Product(Sign(X), Quotient(Abs(X), y)), Quotient(X, y)),
            (Product(Sign(X), X), Abs(X)),
        };
        foreach (var (original, rewritten) in pairs)
        {
            Assert.Equal(rewritten, Simplifier.Simplify(original));
        }
        var random = new Random(13);
        double[] special = { 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon, -double.Epsilon, double.MaxValue, -double.MaxValue, 1.0, -1.0 };
        double Draw() => random.Next(4) == 0
            ? special[random.Next(special.Length)]
            : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-320, 309));
        for (var i = 0; i < 20000; i++)
        {
            var (x, divisor) = (Draw(), Draw());
            var bindings = new Bindings(new Dictionary<string, double> { ["Delta"] = divisor }, "x");
            foreach (var (original, rewritten) in pairs)
            {
                var before = PointEvaluator.Evaluate(original, x, bindings);
                var after = PointEvaluator.Evaluate(rewritten, x, bindings);
                var message = $"x = {x:R}, y = {divisor:R}: {MathRenderer.Render(original)} = {before:R}, {MathRenderer.Render(rewritten)} = {after:R}";
                if (double.IsNaN(before) || double.IsNaN(after))
                {
                    Assert.True(double.IsNaN(before) && double.IsNaN(after), message);
                }
                else if (x == 0 && double.IsNegative(x))
                {
                    Assert.True(before == 0 && after == 0 && double.IsNegative(before) != double.IsNegative(after), message);
                }
                else
                {
                    Assert.True(BitConverter.DoubleToInt64Bits(before) == BitConverter.DoubleToInt64Bits(after), message);
                }
            }
        }
    }

    /// <summary>φ(z) = |z| − ε·log(ε + |z|): φ′ = z/(ε + |z|) and φ″ = ε/(ε + |z|)², the forms of the paper's eq. (7).</summary>
    [Fact]
    public void Adam_without_momentum_derives_to_the_paper_form()
    {
        var body = Difference(Abs(Z), Product(A, Call.Of(MathFunction.Log, Sum(A, Abs(Z)))));
        var first = Simplifier.Simplify(Derivative.Of(body, "z"));
        var second = Simplifier.Simplify(Derivative.Of(first, "z"));
        var sum = Sum(A, Abs(Z));
        Assert.Equal(Quotient(Z, sum), first);
        Assert.Equal(Quotient(A, Product(sum, sum)), second);
        Assert.Equal("z/(Eps + |z|)", MathRenderer.Render(first));
        Assert.Equal("Eps/((Eps + |z|)·(Eps + |z|))", MathRenderer.Render(second));
        // The old form, built node by node as the parser would, simplifies to the same.
        var unsimplified = Difference(Sign(Z), Product(A, Quotient(Sign(Z), sum)));
        Assert.Equal(first, Simplifier.Simplify(unsimplified));

        var bindings = new Bindings(new Dictionary<string, double> { ["Eps"] = 0.5 }, "z");
        // z = ±2⁻⁴¹ (0.9·10⁻¹²·ε): ε + |z| is exact and z/(ε + |z|) = ±2⁻⁴⁰/(1 + 2⁻⁴⁰) rounds to ±(2⁻⁴⁰ − 2⁻⁸⁰); the old
        // form rounds 1/(ε + |z|) = 2 − 2⁻³⁹ + 2⁻⁷⁹ − … at ulp(2) and returns ±2⁻⁴⁰, 2⁻⁴⁰ relative off.
        foreach (var sign in new[] { 1.0, -1.0 })
        {
            var z = sign * Math.Pow(2, -41);
            var exact = sign * (Math.Pow(2, -40) - Math.Pow(2, -80));
            Assert.Equal(exact, PointEvaluator.Evaluate(first, z, bindings));
            var old = PointEvaluator.Evaluate(unsimplified, z, bindings);
            Assert.True(Math.Abs(old - exact) > 1000 * Roundoff * Math.Abs(exact), $"the old φ′({z:R}) = {old:R} was expected to miss {exact:R}");
        }

        // φ″ is a quotient of same-signed terms: two roundings relative at every z; the general quotient rule's
        // 1/(ε + |z|) − z·sign(z)/(ε + |z|)² cancels for |z| ≫ ε. At z = 0 it is the two-sided limit 1/ε.
        Assert.Equal(2.0, PointEvaluator.Evaluate(second, 0.0, bindings));
        foreach (var z in new[] { 1e-300, 3e-13, 0.7, 123.456, 1e9 + 0.3, -7.25e15, 1e150 })
        {
            var value = PointEvaluator.Evaluate(second, z, bindings);
            var error = SecondDerivativeError(value, z);
            Assert.True(error <= 4 * Roundoff, $"φ″({z:R}) = {value:R}: relative error {error:R}");
        }
        const double large = 1e9 + 0.3;
        var general = 1 / (0.5 + large) - large * Math.Sign(large) / ((0.5 + large) * (0.5 + large));
        Assert.True(SecondDerivativeError(general, large) > 1e-9, $"the general quotient rule was expected to cancel: {general:R}");
    }

    [Fact]
    public void Quotient_rule_shortcut_applies_only_when_the_cross_terms_agree()
    {
        var bindings = new Bindings(new Dictionary<string, double> { ["Eps"] = 0.5 }, "z");
        // u = z, v = z²: u′·v = z² but u·v′ = 2z², so (z/(ε + z²))′ = (ε − z²)/(ε + z²)² needs the general rule.
        var square = Product(Z, Z);
        var notShare = Derivative.Of(Quotient(Z, Sum(A, square)), "z");
        // Neither term of z + |z| is free of z: z/(z + |z|) is no share of a constant, and the shortcut must not apply.
        var varying = Derivative.Of(Quotient(Z, Sum(Z, Abs(Z))), "z");
        foreach (var z in new[] { 1e-3, 0.3, 1.0, 7.5, 1e4, -2.0 })
        {
            var closed = (0.5 - z * z) / ((0.5 + z * z) * (0.5 + z * z));
            Assert.Equal(closed, PointEvaluator.Evaluate(notShare, z, bindings), Math.Abs(closed) * 1e-12 + 1e-300);
            if (z > 0)
            {
                // z/(2z) = 1/2 for z > 0: derivative 0.
                Assert.Equal(0.0, PointEvaluator.Evaluate(varying, z, bindings), 1e-12 / z);
            }
        }
    }

    /// <summary>|φ″·(ε + |z|)² − ε|/ε for ε = 0.5, exactly (BigInteger arithmetic on the doubles' binary expansions).</summary>
    private static double SecondDerivativeError(double value, double z)
    {
        var eps = Bits(0.5);
        var sum = Add(eps, Bits(Math.Abs(z)));
        var residual = Add(Multiply(Multiply(Bits(value), sum), sum), (-eps.M, eps.E));
        // Keep the top 200 bits of the residual (truncation changes the ratio by < 2⁻¹⁹⁹), so the quotient fits a double.
        var magnitude = BigInteger.Abs(residual.M);
        var drop = (int)Math.Max(0, magnitude.GetBitLength() - 200);
        return Math.ScaleB((double)(((magnitude >> drop) << 256) / eps.M), residual.E + drop - eps.E - 256);
    }

    private static (BigInteger M, int E) Add((BigInteger M, int E) a, (BigInteger M, int E) b)
    {
        var e = Math.Min(a.E, b.E);
        return ((a.M << (a.E - e)) + (b.M << (b.E - e)), e);
    }

    private static (BigInteger M, int E) Multiply((BigInteger M, int E) a, (BigInteger M, int E) b) => (a.M * b.M, a.E + b.E);

    /// <summary>The exact m·2^e of a finite double.</summary>
    private static (BigInteger M, int E) Bits(double value)
    {
        Assert.True(double.IsFinite(value));
        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & ((1L << 52) - 1);
        var m = exponent == 0 ? new BigInteger(mantissa) : new BigInteger(mantissa | (1L << 52));
        return (bits < 0 ? -m : m, (exponent == 0 ? 1 : exponent) - 1075);
    }
}
