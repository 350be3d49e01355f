using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Closer.Tests.Architecture;

/// <summary>
/// Reads which feature uses which from the compiled app (IL, not source text): every type under
/// <c>Closer.Web.Features.{Feature}</c>, and every Razor page compiled from <c>Features/{Feature}/</c>, and what it touches
/// in another feature — base types, fields, signatures, attributes, and the types, methods and fields its code refers to.
/// </summary>
public static class FeatureDependencies
{
    private const string FeaturesNamespace = "Closer.Web.Features.";
    private const string RazorPrefix = "AspNetCoreGeneratedDocument.Features_";

    /// <summary>One use of another feature's type: who uses it, and the type used.</summary>
    public sealed record Use(string FromFeature, string FromType, string ToFeature, string ToType);

    public static IReadOnlyList<Use> Read(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var uses = new HashSet<Use>();
        foreach (var type in module.GetTypes())
        {
            if (FeatureOf(type) is not { } from)
            {
                continue;
            }
            foreach (var used in Referenced(type))
            {
                if (FeatureOfName(used.FullName) is { } to && to != from)
                {
                    uses.Add(new Use(from, Outer(type).FullName, to, Outer(used).FullName));
                }
            }
        }
        return uses.OrderBy(u => u.FromFeature, StringComparer.Ordinal).ThenBy(u => u.ToType, StringComparer.Ordinal).ToList();
    }

    /// <summary>The feature a type belongs to: its namespace under Features, or the folder its Razor page was compiled from.</summary>
    public static string? FeatureOf(TypeDefinition type) => FeatureOfName(Outer(type).FullName);

    private static string? FeatureOfName(string fullName)
    {
        if (fullName.StartsWith(FeaturesNamespace, StringComparison.Ordinal))
        {
            var rest = fullName[FeaturesNamespace.Length..];
            var end = rest.IndexOfAny(['.', '/', '`']);
            return end < 0 ? null : rest[..end];
        }
        if (fullName.StartsWith(RazorPrefix, StringComparison.Ordinal))
        {
            var rest = fullName[RazorPrefix.Length..];
            var end = rest.IndexOf('_', StringComparison.Ordinal);
            return end < 0 ? null : rest[..end];
        }
        return null;
    }

    private static TypeReference Outer(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }
        return type;
    }

    private static IEnumerable<TypeReference> Referenced(TypeDefinition type)
    {
        if (type.BaseType is not null)
        {
            foreach (var t in Expand(type.BaseType))
            {
                yield return t;
            }
        }
        foreach (var i in type.Interfaces)
        {
            foreach (var t in Expand(i.InterfaceType))
            {
                yield return t;
            }
        }
        foreach (var t in type.CustomAttributes.SelectMany(Attribute))
        {
            yield return t;
        }
        foreach (var field in type.Fields)
        {
            foreach (var t in Expand(field.FieldType))
            {
                yield return t;
            }
        }
        foreach (var property in type.Properties)
        {
            foreach (var t in Expand(property.PropertyType).Concat(property.CustomAttributes.SelectMany(Attribute)))
            {
                yield return t;
            }
        }
        foreach (var method in type.Methods)
        {
            foreach (var t in Expand(method.ReturnType)
                .Concat(method.Parameters.SelectMany(p => Expand(p.ParameterType).Concat(p.CustomAttributes.SelectMany(Attribute))))
                .Concat(method.CustomAttributes.SelectMany(Attribute)))
            {
                yield return t;
            }
            if (!method.HasBody)
            {
                continue;
            }
            foreach (var local in method.Body.Variables)
            {
                foreach (var t in Expand(local.VariableType))
                {
                    yield return t;
                }
            }
            foreach (var instruction in method.Body.Instructions)
            {
                foreach (var t in Operand(instruction))
                {
                    yield return t;
                }
            }
        }
    }

    private static IEnumerable<TypeReference> Operand(Instruction instruction) => instruction.Operand switch
    {
        TypeReference t => Expand(t),
        MethodReference m => Expand(m.DeclaringType).Concat(Expand(m.ReturnType)).Concat(m.Parameters.SelectMany(p => Expand(p.ParameterType)))
            .Concat(m is GenericInstanceMethod g ? g.GenericArguments.SelectMany(Expand) : []),
        FieldReference f => Expand(f.DeclaringType).Concat(Expand(f.FieldType)),
        _ => [],
    };

    private static IEnumerable<TypeReference> Attribute(CustomAttribute attribute) =>
        Expand(attribute.AttributeType).Concat(attribute.ConstructorArguments.Select(a => a.Value).OfType<TypeReference>().SelectMany(Expand));

    /// <summary>A type and the types it is made of: element types of arrays and by-refs, generic arguments.</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference? type)
    {
        switch (type)
        {
            case null:
                yield break;
            case GenericInstanceType generic:
                yield return generic.ElementType;
                foreach (var t in generic.GenericArguments.SelectMany(Expand))
                {
                    yield return t;
                }
                break;
            case TypeSpecification spec:
                foreach (var t in Expand(spec.ElementType))
                {
                    yield return t;
                }
                break;
            default:
                yield return type;
                break;
        }
    }
}
