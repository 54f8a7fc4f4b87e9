using System;
using System.Collections.Generic;
using System.Linq;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Analysis;

/// <summary>
/// A second form of an expression for sign proofs: N/D with N and D expanded into sums of monomials over
/// "atoms" (names and function calls), like terms collected, common monomial factors cancelled, and
/// √u·√u → u, cosh²u → 1 + sinh²u applied. Interval arithmetic on a difference of large terms cannot see
/// that they cancel (softplus's φ″ = σ − σ² far out in the tails); in this form the cancellation has
/// already happened: φ″ = e^z(1 + e^z)/(1 + e^z)³.
/// </summary>
internal sealed class RationalForm
{
    private const int MaxTerms = 48;
    private const int MaxPower = 12;

    private RationalForm(Polynomial numerator, Polynomial denominator)
    {
        Numerator = numerator;
        Denominator = denominator;
    }

    public Polynomial Numerator { get; }

    public Polynomial Denominator { get; }

    /// <summary>The form of <paramref name="expr"/>, or null when it would grow past the size limits.</summary>
    public static RationalForm? Of(Expr expr)
    {
        try
        {
            return Convert(expr)?.Reduce();
        }
        catch (TooLargeException)
        {
            return null;
        }
    }

    private static RationalForm? Convert(Expr expr)
    {
        switch (expr)
        {
            case Constant c:
                return new RationalForm(Polynomial.Constant(c.Value), Polynomial.Constant(1));
            case Negate n:
                var inner = Convert(n.Operand);
                return inner is null ? null : new RationalForm(inner.Numerator.Scale(-1), inner.Denominator);
            case Binary b:
                var left = Convert(b.Left);
                var right = Convert(b.Right);
                if (left is null || right is null)
                {
                    return null;
                }
                return b.Operator switch
                {
                    BinaryOperator.Add => Add(left, right, 1),
                    BinaryOperator.Subtract => Add(left, right, -1),
                    BinaryOperator.Multiply => new RationalForm(left.Numerator.Times(right.Numerator), left.Denominator.Times(right.Denominator)).Reduce(),
                    _ => new RationalForm(left.Numerator.Times(right.Denominator), left.Denominator.Times(right.Numerator)).Reduce(),
                };
            case Call { Function: MathFunction.Pow } pow when pow.Arguments[1] is Constant { Value: var p } && p == Math.Round(p) && Math.Abs(p) <= MaxPower:
                var baseForm = Convert(pow.Arguments[0]);
                if (baseForm is null)
                {
                    return null;
                }
                var result = new RationalForm(Polynomial.Constant(1), Polynomial.Constant(1));
                for (var i = 0; i < Math.Abs(p); i++)
                {
                    result = new RationalForm(result.Numerator.Times(baseForm.Numerator), result.Denominator.Times(baseForm.Denominator)).Reduce();
                }
                return p >= 0 ? result : new RationalForm(result.Denominator, result.Numerator);
            default:
                return new RationalForm(Polynomial.Atom(expr), Polynomial.Constant(1));
        }
    }

    private static RationalForm Add(RationalForm a, RationalForm b, double sign)
    {
        if (a.Denominator.Equals(b.Denominator))
        {
            return new RationalForm(a.Numerator.Plus(b.Numerator.Scale(sign)), a.Denominator).Reduce();
        }
        var numerator = a.Numerator.Times(b.Denominator).Plus(b.Numerator.Times(a.Denominator).Scale(sign));
        return new RationalForm(numerator, a.Denominator.Times(b.Denominator)).Reduce();
    }

    private RationalForm Reduce()
    {
        var numerator = Numerator.ApplyIdentities();
        var denominator = Denominator.ApplyIdentities();
        var common = Polynomial.CommonFactor(numerator, denominator);
        if (common.Count > 0)
        {
            numerator = numerator.Divide(common);
            denominator = denominator.Divide(common);
        }
        return new RationalForm(numerator, denominator);
    }

    private sealed class TooLargeException : Exception
    {
    }

    /// <summary>Σ c·Π atom^p, keyed by a canonical text of the monomial.</summary>
    internal sealed class Polynomial : IEquatable<Polynomial>
    {
        private readonly SortedDictionary<string, Term> _terms;

        private Polynomial(SortedDictionary<string, Term> terms)
        {
            if (terms.Count > MaxTerms)
            {
                throw new TooLargeException();
            }
            _terms = terms;
        }

        public IEnumerable<Term> Terms => _terms.Values;

        public static Polynomial Constant(double c)
        {
            var terms = new SortedDictionary<string, Term>(StringComparer.Ordinal);
            if (c != 0)
            {
                var monomial = Monomial.One;
                terms[monomial.Key] = new Term(c, monomial);
            }
            return new Polynomial(terms);
        }

        public static Polynomial Of(Monomial monomial)
            => new(new SortedDictionary<string, Term>(StringComparer.Ordinal) { [monomial.Key] = new Term(1, monomial) });

        public static Polynomial Atom(Expr atom)
        {
            var monomial = new Monomial(new SortedDictionary<string, (Expr, int)>(StringComparer.Ordinal) { [Key(atom)] = (atom, 1) });
            return new Polynomial(new SortedDictionary<string, Term>(StringComparer.Ordinal) { [monomial.Key] = new Term(1, monomial) });
        }

        public Polynomial Scale(double factor)
        {
            var terms = new SortedDictionary<string, Term>(StringComparer.Ordinal);
            foreach (var pair in _terms)
            {
                terms[pair.Key] = new Term(pair.Value.Coefficient * factor, pair.Value.Monomial);
            }
            return new Polynomial(terms);
        }

        public Polynomial Plus(Polynomial other)
        {
            var terms = new SortedDictionary<string, Term>(_terms, StringComparer.Ordinal);
            foreach (var pair in other._terms)
            {
                AddTerm(terms, pair.Value.Coefficient, pair.Value.Monomial);
            }
            return new Polynomial(terms);
        }

        public Polynomial Times(Polynomial other)
        {
            var terms = new SortedDictionary<string, Term>(StringComparer.Ordinal);
            foreach (var a in _terms.Values)
            {
                foreach (var b in other._terms.Values)
                {
                    AddTerm(terms, a.Coefficient * b.Coefficient, a.Monomial.Times(b.Monomial));
                }
                if (terms.Count > MaxTerms)
                {
                    throw new TooLargeException();
                }
            }
            return new Polynomial(terms);
        }

        /// <summary>√u·√u → u and cosh²u → 1 + sinh²u, expanded, until nothing changes.</summary>
        public Polynomial ApplyIdentities()
        {
            var current = this;
            for (var round = 0; round < 4; round++)
            {
                var changed = false;
                var result = Constant(0);
                foreach (var term in current._terms.Values)
                {
                    var replacement = term.Monomial.Rewrite(out var rewritten);
                    changed |= rewritten;
                    result = result.Plus(replacement.Scale(term.Coefficient));
                }
                current = result;
                if (!changed)
                {
                    break;
                }
            }
            return current;
        }

        /// <summary>The monomial dividing every term of both: min exponent of each atom common to all.</summary>
        public static Monomial CommonFactor(Polynomial a, Polynomial b)
        {
            Monomial? common = null;
            foreach (var term in a._terms.Values.Concat(b._terms.Values))
            {
                common = common is null ? term.Monomial : common.Gcd(term.Monomial);
            }
            return common ?? Monomial.One;
        }

        public Polynomial Divide(Monomial divisor)
        {
            var terms = new SortedDictionary<string, Term>(StringComparer.Ordinal);
            foreach (var term in _terms.Values)
            {
                var monomial = term.Monomial.Over(divisor);
                terms[monomial.Key] = new Term(term.Coefficient, monomial);
            }
            return new Polynomial(terms);
        }

        /// <summary>The polynomial as IR, for interval evaluation (even powers as Pow, so they are never negative).</summary>
        public Expr ToExpr()
        {
            Expr? sum = null;
            foreach (var term in _terms.Values)
            {
                Expr product = new Symbolic.Constant(term.Coefficient);
                foreach (var (atom, power) in term.Monomial.Factors)
                {
                    Expr factor = power == 1 ? atom : Symbolic.Call.Of(MathFunction.Pow, atom, new Symbolic.Constant(power));
                    product = term.Coefficient == 1 && product is Symbolic.Constant { Value: 1.0 } ? factor : new Binary(BinaryOperator.Multiply, product, factor);
                }
                sum = sum is null ? product : new Binary(BinaryOperator.Add, sum, product);
            }
            return sum ?? Symbolic.Constant.Zero;
        }

        public bool Equals(Polynomial? other)
            => other is not null && _terms.Count == other._terms.Count
               && _terms.All(p => other._terms.TryGetValue(p.Key, out var t) && t.Coefficient == p.Value.Coefficient);

        public override bool Equals(object? obj) => Equals(obj as Polynomial);

        public override int GetHashCode() => _terms.Count;

        private static void AddTerm(SortedDictionary<string, Term> terms, double coefficient, Monomial monomial)
        {
            if (terms.TryGetValue(monomial.Key, out var existing))
            {
                var sum = existing.Coefficient + coefficient;
                if (sum == 0)
                {
                    terms.Remove(monomial.Key);
                }
                else
                {
                    terms[monomial.Key] = new Term(sum, monomial);
                }
            }
            else if (coefficient != 0)
            {
                terms[monomial.Key] = new Term(coefficient, monomial);
            }
        }

        internal static string Key(Expr atom) => MathRenderer.Render(atom);
    }

    internal sealed record Term(double Coefficient, Monomial Monomial);

    /// <summary>Π atom^p with p ≥ 1, atoms keyed by their rendered text.</summary>
    internal sealed class Monomial
    {
        public static readonly Monomial One = new(new SortedDictionary<string, (Expr, int)>(StringComparer.Ordinal));

        private readonly SortedDictionary<string, (Expr Atom, int Power)> _factors;

        public Monomial(SortedDictionary<string, (Expr Atom, int Power)> factors)
        {
            _factors = factors;
            Key = string.Join("·", factors.Select(f => f.Key + "^" + f.Value.Power.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        public string Key { get; }

        public int Count => _factors.Count;

        public IEnumerable<(Expr Atom, int Power)> Factors => _factors.Values;

        public Monomial Times(Monomial other)
        {
            var factors = new SortedDictionary<string, (Expr, int)>(_factors, StringComparer.Ordinal);
            foreach (var pair in other._factors)
            {
                var power = factors.TryGetValue(pair.Key, out var existing) ? existing.Item2 + pair.Value.Power : pair.Value.Power;
                if (power > 4 * MaxPower)
                {
                    throw new TooLargeException();
                }
                factors[pair.Key] = (pair.Value.Atom, power);
            }
            return new Monomial(factors);
        }

        public Monomial Gcd(Monomial other)
        {
            var factors = new SortedDictionary<string, (Expr, int)>(StringComparer.Ordinal);
            foreach (var pair in _factors)
            {
                if (other._factors.TryGetValue(pair.Key, out var theirs))
                {
                    factors[pair.Key] = (pair.Value.Atom, Math.Min(pair.Value.Power, theirs.Power));
                }
            }
            return new Monomial(factors);
        }

        public Monomial Over(Monomial divisor)
        {
            var factors = new SortedDictionary<string, (Expr, int)>(_factors, StringComparer.Ordinal);
            foreach (var pair in divisor._factors)
            {
                var power = factors[pair.Key].Item2 - pair.Value.Power;
                if (power == 0)
                {
                    factors.Remove(pair.Key);
                }
                else
                {
                    factors[pair.Key] = (pair.Value.Atom, power);
                }
            }
            return new Monomial(factors);
        }

        /// <summary>This monomial with √u² → u and cosh²u → 1 + sinh²u applied once, as a polynomial.</summary>
        public Polynomial Rewrite(out bool rewritten)
        {
            rewritten = false;
            var rest = new SortedDictionary<string, (Expr, int)>(StringComparer.Ordinal);
            var extra = Polynomial.Constant(1);
            foreach (var pair in _factors)
            {
                var (atom, power) = pair.Value;
                if (power >= 2 && atom is Call { Function: MathFunction.Sqrt } sqrt && RationalForm.Of(sqrt.Argument) is { } inner
                    && inner.Denominator.Equals(Polynomial.Constant(1)))
                {
                    rewritten = true;
                    for (var i = 0; i < power / 2; i++)
                    {
                        extra = extra.Times(inner.Numerator);
                    }
                    if (power % 2 == 1)
                    {
                        rest[pair.Key] = (atom, 1);
                    }
                    continue;
                }
                if (power >= 2 && atom is Call { Function: MathFunction.Cosh } cosh)
                {
                    rewritten = true;
                    var sinh = Symbolic.Call.Of(MathFunction.Sinh, cosh.Argument);
                    var onePlusSinhSquared = Polynomial.Constant(1).Plus(Polynomial.Atom(sinh).Times(Polynomial.Atom(sinh)));
                    for (var i = 0; i < power / 2; i++)
                    {
                        extra = extra.Times(onePlusSinhSquared);
                    }
                    if (power % 2 == 1)
                    {
                        rest[pair.Key] = (atom, 1);
                    }
                    continue;
                }
                if (atom is Call { Function: MathFunction.Sign } sign)
                {
                    // sign(u)² = 1 away from u = 0 (where the kink checks look), and u·sign(u) = |u| everywhere.
                    var argumentKey = Polynomial.Key(sign.Argument);
                    if (_factors.TryGetValue(argumentKey, out var argument) && power == 1 && argument.Power >= 1 && !rest.ContainsKey("sign-used"))
                    {
                        rewritten = true;
                        extra = extra.Times(Polynomial.Atom(Symbolic.Call.Of(MathFunction.Abs, sign.Argument)));
                        rest["sign-used"] = (sign.Argument, 0);
                        continue;
                    }
                    if (power >= 2)
                    {
                        rewritten = true;
                        if (power % 2 == 1)
                        {
                            rest[pair.Key] = (atom, 1);
                        }
                        continue;
                    }
                }
                rest[pair.Key] = pair.Value;
            }
            if (rest.TryGetValue("sign-used", out var used))
            {
                // The u consumed by u·sign(u) = |u|.
                rest.Remove("sign-used");
                var key = Polynomial.Key(used.Item1);
                var (argumentAtom, argumentPower) = rest[key];
                if (argumentPower == 1)
                {
                    rest.Remove(key);
                }
                else
                {
                    rest[key] = (argumentAtom, argumentPower - 1);
                }
            }
            return extra.Times(Polynomial.Of(new Monomial(rest)));
        }
    }
}
