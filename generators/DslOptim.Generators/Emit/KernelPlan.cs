using System.Collections.Generic;
using DslOptim.Generators.Model;
using System.Globalization;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Emit;

/// <summary>A value computed once per step and carried into the kernel as a field.</summary>
/// <param name="Field">The operator struct's field, e.g. <c>_eps</c>.</param>
/// <param name="Parameter">The operator constructor's parameter, e.g. <c>eps</c>.</param>
/// <param name="Value">The expression, in hyperparameters, t and η_t only.</param>
internal sealed record HoistedValue(string Field, string Parameter, Expr Value);

/// <summary>A subexpression the per-element code uses more than once, bound to a local.</summary>
internal sealed record SharedValue(string Local, Expr Value);

/// <summary>
/// How one per-element expression becomes kernel code: the maximal subtrees that do not vary per
/// element are hoisted out of the loop into fields (bias corrections, 0.5·ε², η_t), and the varying
/// subtrees used twice are bound to locals, in an order where each local's operands come first.
/// </summary>
internal sealed class KernelPlan
{
    private readonly Dictionary<Expr, string> _fields = new();
    private readonly List<HoistedValue> _hoisted = new();
    private readonly HashSet<string> _taken;
    private int _composites;

    public KernelPlan(Expr expr, IEnumerable<string> reservedNames)
        : this(new[] { expr }, reservedNames)
    {
    }

    /// <summary>One plan for several expressions evaluated with the same per-step values (ℓ and ℓ′ of a loss).</summary>
    public KernelPlan(IReadOnlyList<Expr> roots, IEnumerable<string> reservedNames)
    {
        Expr = roots[0];
        Roots = roots;
        _taken = new HashSet<string>(reservedNames);
        foreach (var root in roots)
        {
            Hoist(root);
        }
    }

    public Expr Expr { get; }

    /// <summary>The expressions the plan was made for, as the kernel evaluates them.</summary>
    public IReadOnlyList<Expr> Roots { get; private set; } = new List<Expr>();

    /// <summary>
    /// The plan of an update operator (the per-element kernel of a step): as the constructor, after rewriting every
    /// division by a per-step value a/b into a·(1/b), the reciprocal hoisted with the other per-step values and computed
    /// once per step in double. A division costs 4–10 times a multiplication in a vector unit (Adam's bias corrections
    /// make three per element), and the rewrite changes a result by at most an ulp of the quotient.
    /// </summary>
    public static KernelPlan ForUpdate(IReadOnlyList<Expr> roots, IEnumerable<string> reservedNames)
    {
        var rewritten = new List<Expr>();
        foreach (var root in roots)
        {
            rewritten.Add(WithReciprocals(root));
        }
        return new KernelPlan(rewritten, reservedNames);
    }

    private static Expr WithReciprocals(Expr expr) => expr switch
    {
        Binary { Operator: BinaryOperator.Divide } b when !IsInvariant(b.Left) && IsInvariant(b.Right) && b.Right is not Constant
            => new Binary(BinaryOperator.Multiply, WithReciprocals(b.Left), new Binary(BinaryOperator.Divide, new Constant(1.0), b.Right)),
        Binary b => new Binary(b.Operator, WithReciprocals(b.Left), WithReciprocals(b.Right)),
        Negate n => new Negate(WithReciprocals(n.Operand)),
        Call c => new Call(c.Function, Map(c.Arguments)),
        Conditional c => new Conditional(c.Test, WithReciprocals(c.WhenTrue), WithReciprocals(c.WhenFalse)),
        _ => expr,
    };

    private static EquatableArray<Expr> Map(EquatableArray<Expr> arguments)
    {
        var mapped = new List<Expr>();
        foreach (var argument in arguments)
        {
            mapped.Add(WithReciprocals(argument));
        }
        return mapped.ToEquatableArray();
    }

    public IReadOnlyList<HoistedValue> Hoisted => _hoisted;

    /// <summary>The shared locals of the first expression.</summary>
    public IReadOnlyList<SharedValue> Shared => SharedFor(Expr);

    /// <summary>
    /// One Invoke body computing several outputs (new states, then the new weight): subtrees used more than once
    /// across all of them become locals, an output included when a later one reads it.
    /// </summary>
    public IReadOnlyList<SharedValue> SharedForAll(IReadOnlyList<Expr> roots)
    {
        var uses = new Dictionary<Expr, int>();
        foreach (var root in roots)
        {
            Count(root, uses);
        }
        var shared = new List<SharedValue>();
        var locals = new Dictionary<Expr, string>();
        var taken = new HashSet<string>(_taken);
        foreach (var root in roots)
        {
            Share(root, null, uses, locals, shared, taken);
        }
        return shared;
    }

    /// <summary>The varying subtrees <paramref name="root"/> uses more than once, in an order where operands come first.</summary>
    public IReadOnlyList<SharedValue> SharedFor(Expr root)
    {
        var uses = new Dictionary<Expr, int>();
        Count(root, uses);
        var shared = new List<SharedValue>();
        var locals = new Dictionary<Expr, string>();
        var taken = new HashSet<string>(_taken);
        Share(root, root, uses, locals, shared, taken);
        return shared;
    }

    /// <summary>Names for the hoisted subtrees (fields); add the shared locals for the per-element code.</summary>
    public IReadOnlyDictionary<Expr, string> FieldNames => _fields;

    public static bool IsInvariant(Expr expr) => expr switch
    {
        Constant => true,
        Symbol s => !s.VariesPerElement,
        Negate n => IsInvariant(n.Operand),
        Binary b => IsInvariant(b.Left) && IsInvariant(b.Right),
        Call c => AllInvariant(c),
        Conditional c => IsInvariant(c.Test) && IsInvariant(c.WhenTrue) && IsInvariant(c.WhenFalse),
        _ => false,
    };

    private static bool IsInvariant(Condition condition) => condition switch
    {
        Comparison c => IsInvariant(c.Left) && IsInvariant(c.Right),
        Logical l => IsInvariant(l.Left) && IsInvariant(l.Right),
        Not n => IsInvariant(n.Operand),
        _ => false,
    };

    private static bool AllInvariant(Call call)
    {
        foreach (var argument in call.Arguments)
        {
            if (!IsInvariant(argument))
            {
                return false;
            }
        }
        return true;
    }

    private void Hoist(Expr expr)
    {
        if (expr is Constant || _fields.ContainsKey(expr))
        {
            return;
        }
        if (IsInvariant(expr))
        {
            var name = expr is Symbol symbol ? NameFor(symbol) : Unique("k" + (_composites++).ToString(CultureInfo.InvariantCulture));
            var field = "_" + name;
            _fields[expr] = field;
            _hoisted.Add(new HoistedValue(field, name, expr));
            return;
        }
        ForEachChild(expr, Hoist);
    }

    private void Count(Expr expr, Dictionary<Expr, int> uses)
    {
        if (expr is Constant or Symbol || _fields.ContainsKey(expr))
        {
            return;
        }
        uses.TryGetValue(expr, out var count);
        uses[expr] = count + 1;
        if (count == 0)
        {
            ForEachChild(expr, child => Count(child, uses));
        }
    }

    private void Share(Expr expr, Expr? root, Dictionary<Expr, int> uses, Dictionary<Expr, string> locals, List<SharedValue> shared, HashSet<string> taken)
    {
        if (expr is Constant or Symbol || _fields.ContainsKey(expr) || locals.ContainsKey(expr))
        {
            return;
        }
        ForEachChild(expr, child => Share(child, root, uses, locals, shared, taken));
        if (uses.TryGetValue(expr, out var count) && count > 1 && !ReferenceEquals(expr, root))
        {
            var local = "t" + shared.Count.ToString(CultureInfo.InvariantCulture);
            for (var i = 2; !taken.Add(local); i++)
            {
                local = "t" + shared.Count.ToString(CultureInfo.InvariantCulture) + "_" + i.ToString(CultureInfo.InvariantCulture);
            }
            locals[expr] = local;
            shared.Add(new SharedValue(local, expr));
        }
    }

    private string NameFor(Symbol symbol) => symbol.Kind switch
    {
        SymbolRole.LearningRate => Unique("eta"),
        _ => Unique(symbol.Name.Length > 0 ? char.ToLowerInvariant(symbol.Name[0]) + symbol.Name.Substring(1) : "x"),
    };

    private string Unique(string name)
    {
        var candidate = name;
        for (var i = 2; !_taken.Add(candidate); i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }
        return candidate;
    }

    private static void ForEachChild(Expr expr, System.Action<Expr> visit)
    {
        switch (expr)
        {
            case Negate n:
                visit(n.Operand);
                break;
            case Binary b:
                visit(b.Left);
                visit(b.Right);
                break;
            case Call c:
                foreach (var argument in c.Arguments)
                {
                    visit(argument);
                }
                break;
            case Conditional c:
                ForEachChild(c.Test, visit);
                visit(c.WhenTrue);
                visit(c.WhenFalse);
                break;
        }
    }

    private static void ForEachChild(Condition condition, System.Action<Expr> visit)
    {
        switch (condition)
        {
            case Comparison c:
                visit(c.Left);
                visit(c.Right);
                break;
            case Logical l:
                ForEachChild(l.Left, visit);
                ForEachChild(l.Right, visit);
                break;
            case Not n:
                ForEachChild(n.Operand, visit);
                break;
        }
    }
}
