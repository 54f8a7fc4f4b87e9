using System.Collections.Generic;
using System.Text;
using System.Threading;
using DslOptim.Generators.Diagnostics;
using DslOptim.Generators.Model;
using DslOptim.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DslOptim.Generators.Parsing;

/// <summary>
/// Translates the expression body of one formula member into the IR. Every construct outside the
/// per-element subset gets DSLOPT008 on its own span and parsing goes on, so one build shows every
/// problem; nothing here throws on incomplete code. Code that does not bind (a name being typed) stops
/// generation silently: the compiler already reports it.
/// </summary>
internal sealed class FormulaParser
{
    /// <summary>Deeper formulas are refused with a diagnostic rather than risking the IDE's stack.</summary>
    public const int MaxDepth = 200;

    /// <summary>Larger formulas are refused: a per-element formula of this size is a mistake, not a kernel.</summary>
    public const int MaxNodes = 2000;

    private static readonly string Supported =
        "arithmetic (+ - * /), comparisons with ?: (and &&, ||, !), " + MathFunctions.SupportedList() +
        ", numeric literals and constants, hyperparameter properties and the member's parameters";

    private readonly SemanticModel _model;
    private readonly INamedTypeSymbol _optimizer;
    private readonly IMethodSymbol _member;
    private readonly INamedTypeSymbol? _math;
    private readonly IReadOnlyDictionary<string, FormulaParameter> _parameters;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly CancellationToken _cancellationToken;
    private int _nodes;
    private bool _tooLarge;

    public FormulaParser(
        SemanticModel model,
        INamedTypeSymbol optimizer,
        IMethodSymbol member,
        IReadOnlyDictionary<string, FormulaParameter> parameters,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        _model = model;
        _optimizer = optimizer;
        _member = member;
        _math = model.Compilation.GetTypeByMetadataName("System.Math");
        _parameters = parameters;
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
    }

    /// <summary>True when a name did not bind or the syntax is incomplete: the compiler reports those.</summary>
    public bool Unresolved { get; private set; }

    /// <summary>The IR of <paramref name="body"/>, or null when a diagnostic was reported or binding failed.</summary>
    public Expr? Parse(ExpressionSyntax body)
    {
        if (body.ContainsDiagnostics)
        {
            Unresolved = true;
            return null;
        }
        var result = ParseExpression(body, 0);
        return result is null || Unresolved ? null : Simplifier.Simplify(result);
    }

    private Expr? ParseExpression(ExpressionSyntax node, int depth)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (!Admit(node, depth))
        {
            return null;
        }

        // Compile-time constants first: this folds Math.PI, const fields and C#'s own integer semantics (1/2 == 0).
        var constant = _model.GetConstantValue(node, _cancellationToken);
        if (constant.HasValue && TryToDouble(constant.Value, out var value))
        {
            return new Constant(value);
        }

        switch (node)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return ParseExpression(parenthesized.Expression, depth + 1);
            case CastExpressionSyntax cast when IsFloatingPoint(_model.GetTypeInfo(cast.Type, _cancellationToken).Type):
                return ParseExpression(cast.Expression, depth + 1);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                var operand = ParseExpression(unary.Operand, depth + 1);
                return operand is null ? null : new Negate(operand);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return ParseExpression(unary.Operand, depth + 1);
            case BinaryExpressionSyntax binary when ArithmeticOperator(binary) is { } op:
                return ParseArithmetic(binary, op, depth);
            case ConditionalExpressionSyntax conditional:
                var test = ParseCondition(conditional.Condition, depth + 1);
                var whenTrue = ParseExpression(conditional.WhenTrue, depth + 1);
                var whenFalse = ParseExpression(conditional.WhenFalse, depth + 1);
                return test is null || whenTrue is null || whenFalse is null ? null : new Conditional(test, whenTrue, whenFalse);
            case IdentifierNameSyntax identifier:
                return ParseName(identifier);
            case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access:
                return ParseName(access.Name);
            case InvocationExpressionSyntax invocation:
                return ParseInvocation(invocation, depth);
            default:
                return Unsupported(node, Describe(node));
        }
    }

    private Expr? ParseArithmetic(BinaryExpressionSyntax binary, BinaryOperator op, int depth)
    {
        if (IsIntegral(_model.GetTypeInfo(binary, _cancellationToken).Type))
        {
            // C# would evaluate this in integers (t / 2 truncates); the IR is real arithmetic.
            return Unsupported(binary, $"integer arithmetic '{binary}' (write a double operand, e.g. 2.0)");
        }
        var left = ParseExpression(binary.Left, depth + 1);
        var right = ParseExpression(binary.Right, depth + 1);
        return left is null || right is null ? null : new Binary(op, left, right);
    }

    private Expr? ParseInvocation(InvocationExpressionSyntax invocation, int depth)
    {
        var symbol = _model.GetSymbolInfo(invocation, _cancellationToken).Symbol as IMethodSymbol;
        if (symbol is null)
        {
            // An overload being typed, or a name that does not exist: the compiler reports it.
            Unresolved = true;
            return null;
        }
        if (!SymbolEqualityComparer.Default.Equals(symbol.ContainingType, _math) ||
            !MathFunctions.TryGet(symbol.Name, out var function) ||
            symbol.Parameters.Length != function.Arity)
        {
            var name = symbol.ContainingType is null ? symbol.Name : symbol.ContainingType.Name + "." + symbol.Name;
            return Unsupported(invocation, $"The call of '{name}'");
        }
        var arguments = new Expr[function.Arity];
        var ok = true;
        for (var i = 0; i < arguments.Length; i++)
        {
            var argument = invocation.ArgumentList.Arguments[i];
            if (argument.NameColon is not null || !argument.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                Unsupported(argument, "A named or ref argument");
                ok = false;
                continue;
            }
            var parsed = ParseExpression(argument.Expression, depth + 1);
            ok &= parsed is not null;
            arguments[i] = parsed!;
        }
        return ok ? Call.Of(function.Function, arguments) : null;
    }

    private Expr? ParseName(SimpleNameSyntax name)
    {
        var symbol = _model.GetSymbolInfo(name, _cancellationToken).Symbol;
        switch (symbol)
        {
            case null:
                Unresolved = true;
                return null;
            case IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _member)
                                                 && _parameters.TryGetValue(parameter.Name, out var bound):
                return bound.Binding switch
                {
                    ParameterBinding.Step => new Symbol(parameter.Name, SymbolRole.Step),
                    ParameterBinding.Weight => new Symbol("w", SymbolRole.Weight),
                    ParameterBinding.Direction => new Symbol("d", SymbolRole.Direction),
                    ParameterBinding.LearningRate => OptimizerSpec.LearningRate,
                    ParameterBinding.Reduction => new Symbol(bound.State!, SymbolRole.Reduction),
                    ParameterBinding.State => new Symbol(bound.State!, (bound.ScalarState, bound.Current) switch
                    {
                        (true, true) => SymbolRole.ScalarCurrent,
                        (true, false) => SymbolRole.ScalarPrevious,
                        (false, true) => SymbolRole.StateCurrent,
                        _ => SymbolRole.StatePrevious,
                    }),
                    _ => new Symbol(parameter.Name, SymbolRole.Variable),
                };
            case IPropertySymbol property when property.Type.SpecialType == SpecialType.System_Double
                                               && SymbolEqualityComparer.Default.Equals(property.ContainingType, _optimizer):
                if (_member.IsStatic && !property.IsStatic)
                {
                    return Unsupported(name, $"The instance hyperparameter '{property.Name}' in a static formula");
                }
                return new Symbol(property.Name, SymbolRole.Hyperparameter);
            case IPropertySymbol property:
                return Unsupported(name, $"The property '{property.Name}' (hyperparameters are double properties of '{_optimizer.Name}')");
            case IFieldSymbol field:
                return Unsupported(name, $"The field '{field.Name}' (make it a double property or a const)");
            case ILocalSymbol local:
                return Unsupported(name, $"The local '{local.Name}'");
            default:
                return Unsupported(name, $"The name '{name.Identifier.ValueText}'");
        }
    }

    private Condition? ParseCondition(ExpressionSyntax node, int depth)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (!Admit(node, depth))
        {
            return null;
        }
        switch (node)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return ParseCondition(parenthesized.Expression, depth + 1);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.LogicalNotExpression):
                var operand = ParseCondition(unary.Operand, depth + 1);
                return operand is null ? null : new Not(operand);
            case BinaryExpressionSyntax logical when logical.IsKind(SyntaxKind.LogicalAndExpression) || logical.IsKind(SyntaxKind.LogicalOrExpression):
                var leftCondition = ParseCondition(logical.Left, depth + 1);
                var rightCondition = ParseCondition(logical.Right, depth + 1);
                var op = logical.IsKind(SyntaxKind.LogicalAndExpression) ? LogicalOperator.And : LogicalOperator.Or;
                return leftCondition is null || rightCondition is null ? null : new Logical(op, leftCondition, rightCondition);
            case BinaryExpressionSyntax comparison when ComparisonOperatorOf(comparison) is { } comparisonOperator:
                var left = ParseExpression(comparison.Left, depth + 1);
                var right = ParseExpression(comparison.Right, depth + 1);
                return left is null || right is null ? null : new Comparison(comparisonOperator, left, right);
            default:
                Unsupported(node, Describe(node) + " as a condition");
                return null;
        }
    }

    /// <summary>Enforces the size limits; reports once per formula.</summary>
    private bool Admit(SyntaxNode node, int depth)
    {
        if (_tooLarge)
        {
            return false;
        }
        if (depth > MaxDepth || ++_nodes > MaxNodes)
        {
            _tooLarge = true;
            var body = Outermost(node);
            var what = depth > MaxDepth
                ? $"A formula nested more than {MaxDepth} levels deep"
                : $"A formula of more than {MaxNodes} operations";
            Report(body, what);
            return false;
        }
        return true;
    }

    private static SyntaxNode Outermost(SyntaxNode node)
    {
        var current = node;
        while (current.Parent is ExpressionSyntax parent)
        {
            current = parent;
        }
        return current;
    }

    private Expr? Unsupported(SyntaxNode node, string what)
    {
        Report(node, what);
        return null;
    }

    private void Report(SyntaxNode node, string what)
        => _diagnostics.Add(DiagnosticInfo.Create(
            DiagnosticDescriptors.UnsupportedConstruct, LocationInfo.From(node), what, _member.Name, Supported));

    private static BinaryOperator? ArithmeticOperator(BinaryExpressionSyntax binary) => binary.Kind() switch
    {
        SyntaxKind.AddExpression => BinaryOperator.Add,
        SyntaxKind.SubtractExpression => BinaryOperator.Subtract,
        SyntaxKind.MultiplyExpression => BinaryOperator.Multiply,
        SyntaxKind.DivideExpression => BinaryOperator.Divide,
        _ => null,
    };

    private static ComparisonOperator? ComparisonOperatorOf(BinaryExpressionSyntax binary) => binary.Kind() switch
    {
        SyntaxKind.LessThanExpression => ComparisonOperator.Less,
        SyntaxKind.LessThanOrEqualExpression => ComparisonOperator.LessOrEqual,
        SyntaxKind.GreaterThanExpression => ComparisonOperator.Greater,
        SyntaxKind.GreaterThanOrEqualExpression => ComparisonOperator.GreaterOrEqual,
        SyntaxKind.EqualsExpression => ComparisonOperator.Equal,
        SyntaxKind.NotEqualsExpression => ComparisonOperator.NotEqual,
        _ => null,
    };

    private static bool TryToDouble(object? value, out double result)
    {
        switch (value)
        {
            case double d: result = d; return true;
            case float f: result = f; return true;
            case int i: result = i; return true;
            case long l: result = l; return true;
            case short s: result = s; return true;
            case byte b: result = b; return true;
            case uint u: result = u; return true;
            case ulong ul: result = ul; return true;
            case decimal m: result = (double)m; return true;
            default: result = 0; return false;
        }
    }

    private static bool IsFloatingPoint(ITypeSymbol? type)
        => type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    private static bool IsIntegral(ITypeSymbol? type) => type?.SpecialType is
        SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_Byte or
        SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_UInt16 or SpecialType.System_SByte;

    /// <summary>"SwitchExpression" → "A switch expression": a readable name for any syntax kind.</summary>
    internal static string Describe(SyntaxNode node)
    {
        switch (node)
        {
            case BinaryExpressionSyntax binary:
                return $"The operator '{binary.OperatorToken.Text}'";
            case PrefixUnaryExpressionSyntax prefix:
                return $"The operator '{prefix.OperatorToken.Text}'";
            case PostfixUnaryExpressionSyntax postfix:
                return $"The operator '{postfix.OperatorToken.Text}'";
            case LiteralExpressionSyntax literal:
                return $"The literal {literal.Token.Text}";
            case MemberAccessExpressionSyntax access:
                return $"The member access '{access}'";
        }
        var kind = node.Kind().ToString();
        var words = new StringBuilder();
        foreach (var c in kind)
        {
            if (char.IsUpper(c) && words.Length > 0)
            {
                words.Append(' ');
            }
            words.Append(char.ToLowerInvariant(c));
        }
        var text = words.ToString();
        var article = "aeiou".IndexOf(text[0]) >= 0 ? "An " : "A ";
        return article + text;
    }
}
