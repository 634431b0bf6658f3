using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using RnnGen.Generators.Diagnostics;
using RnnGen.Testing;

namespace RnnGen.Generators.Tests;

/// <summary>
/// Every RNNG diagnostic the generator reports: the id, the exact source text it underlines (the offending argument
/// where there is one, else the attribute, else the class name) and the full message, written out here by hand as the
/// specification of what the user reads. Each snippet is otherwise valid C#, so the diagnostic is the only problem.
/// </summary>
public class DiagnosticTests
{
    private const string Header = "using RnnGen;\nnamespace Demo;\n\n";

    private const string Activations =
        "tanh, sigmoid, hard_sigmoid, hard_sigmoid_keras2, relu, relu6, leaky_relu, linear, elu, selu, celu, softplus, " +
        "softsign, silu, swish, hard_silu, hard_swish, mish, log_sigmoid, hard_tanh, exponential";

    private const string Initializers =
        "zeros, ones, constant, glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal, " +
        "orthogonal, random_uniform, random_normal, truncated_normal, identity";

    /// <summary>
    /// One mistake: the declaration, and the one diagnostic it must produce. <paramref name="Before"/>, when the
    /// underlined text occurs more than once, is the text just before the occurrence that must be underlined.
    /// </summary>
    public sealed record Case(string Name, string Declaration, string Id, string Underlined, string Message, string? Before = null)
    {
        /// <summary>Valid models the declaration also holds (a graph's chains), whose sources are generated as usual.</summary>
        public int ValidModels { get; init; }

        /// <summary>For [KerasModel]: the descriptions the build hands the compiler (KerasModelHarness).</summary>
        internal KerasModelItem[]? KerasModels { get; init; }

        internal GeneratorRun Run() => KerasModels is null
            ? CompilationHarness.Run(Header + Declaration)
            : KerasModelHarness.Run(Header + Declaration, KerasModels);
    }

    // The chains of the graph cases: an LSTM encoder that returns its states, and a decoder that starts from them.
    private const string GraphChains =
        "[Sequential(Timesteps = 6, InputDim = 3)]\n[Lstm(5, ReturnState = true)]\npublic partial class Encoder;\n\n" +
        "[Sequential(Timesteps = 4, InputDim = 2)]\n[Lstm(5, ReturnSequences = true)]\n[Dense(3)]\npublic partial class Decoder;\n\n";

    private static readonly Case[] s_cases =
    {
        new("RNNG001_class_not_partial",
            "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic class Encoder;",
            "RNNG001", "Encoder",
            "'Encoder' must be declared partial: RnnGen adds the generated layer code to it. Write 'partial class Encoder'."),
        new("RNNG001_class_not_partial_with_gru",
            "[Gru(2, Timesteps = 3, InputDim = 1)]\npublic class Encoder;",
            "RNNG001", "Encoder",
            "'Encoder' must be declared partial: RnnGen adds the generated layer code to it. Write 'partial class Encoder'."),
        new("RNNG002_containing_type_not_partial",
            "public class Outer\n{\n    [Lstm(3, Timesteps = 4, InputDim = 5)]\n    public partial class Encoder;\n}",
            "RNNG002", "Encoder",
            "'Encoder' is nested in 'Outer', which is not partial: make every containing type partial so RnnGen can add code to 'Encoder'."),
        new("RNNG003_static_class",
            "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic static partial class Encoder;",
            "RNNG003", "Encoder",
            "'Encoder' is static: an RnnGen model must be a plain partial class (not generic, static, a record or file-local), because its shapes are fixed and it owns its weights."),
        new("RNNG003_record",
            "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial record Encoder;",
            "RNNG003", "Encoder",
            "'Encoder' is a record (a 'with' copy would share the model's weights and working memory): an RnnGen model must be a plain partial class (not generic, static, a record or file-local), because its shapes are fixed and it owns its weights."),
        new("RNNG003_file_local_class",
            "[Lstm(3, Timesteps = 4, InputDim = 5)]\nfile partial class Encoder;",
            "RNNG003", "Encoder",
            "'Encoder' is file-local (the generated part, in another file, cannot belong to it): an RnnGen model must be a plain partial class (not generic, static, a record or file-local), because its shapes are fixed and it owns its weights."),
        new("RNNG003_generic_class",
            "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Encoder<T>;",
            "RNNG003", "Encoder",
            "'Encoder' is generic: an RnnGen model must be a plain partial class (not generic, static, a record or file-local), because its shapes are fixed and it owns its weights."),
        new("RNNG003_nested_in_generic_class",
            "public partial class Outer<T>\n{\n    [Lstm(3, Timesteps = 4, InputDim = 5)]\n    public partial class Encoder;\n}",
            "RNNG003", "Encoder",
            "'Encoder' is nested in the generic type 'Outer': an RnnGen model must be a plain partial class (not generic, static, a record or file-local), because its shapes are fixed and it owns its weights."),
        new("RNNG004_zero_units",
            "[Lstm(0, Timesteps = 4, InputDim = 5)]\npublic partial class Encoder;",
            "RNNG004", "0",
            "Layer 1 (Lstm): units must be a positive number, but it is 0."),
        new("RNNG004_units_as_named_argument",
            "[Lstm(units: 0, Timesteps = 4, InputDim = 5)]\npublic partial class Encoder;",
            "RNNG004", "0",
            "Layer 1 (Lstm): units must be a positive number, but it is 0."),
        new("RNNG004_negative_dense_units",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3)]\n[Dense(-3)]\npublic partial class Forecaster;",
            "RNNG004", "-3",
            "Layer 2 (Dense): units must be a positive number, but it is -3."),
        new("RNNG005_timesteps_zero",
            "[Lstm(3, Timesteps = 0, InputDim = 5)]\npublic partial class Encoder;",
            "RNNG005", "0",
            "Layer 1 (Lstm): Timesteps is 0, which is not positive; set Timesteps to the number of timesteps of the input (Keras input_shape[0]), e.g. Timesteps = 10."),
        new("RNNG005_timesteps_missing",
            "[SimpleRnn(3, InputDim = 5)]\npublic partial class Encoder;",
            "RNNG005", "SimpleRnn(3, InputDim = 5)",
            "Layer 1 (SimpleRnn): Timesteps is missing; set Timesteps to the number of timesteps of the input (Keras input_shape[0]), e.g. Timesteps = 10."),
        new("RNNG005_timesteps_missing_in_stack",
            "[Sequential(InputDim = 5)]\n[Lstm(3)]\n[Dense(1)]\npublic partial class Forecaster;",
            "RNNG005", "Sequential(InputDim = 5)",
            "'Forecaster' ([Sequential]): Timesteps is missing: declare it on [Sequential] or on the first layer; set Timesteps to the number of timesteps of the input (Keras input_shape[0]), e.g. Timesteps = 10."),
        new("RNNG005_timesteps_missing_in_stack_starting_with_dense",
            "[Sequential(InputDim = 5)]\n[Dense(4)]\n[Lstm(3)]\npublic partial class Forecaster;",
            "RNNG005", "Sequential(InputDim = 5)",
            "'Forecaster' ([Sequential]): Timesteps is missing: declare it on [Sequential]; set Timesteps to the number of timesteps of the input (Keras input_shape[0]), e.g. Timesteps = 10."),
        new("RNNG006_input_dim_negative",
            "[Gru(3, Timesteps = 4, InputDim = -1)]\npublic partial class Encoder;",
            "RNNG006", "-1",
            "Layer 1 (Gru): InputDim is -1, which is not positive; set InputDim to the number of features per timestep (Keras input_shape[1]), e.g. InputDim = 8."),
        new("RNNG006_input_dim_missing",
            "[Lstm(3, Timesteps = 4)]\npublic partial class Encoder;",
            "RNNG006", "Lstm(3, Timesteps = 4)",
            "Layer 1 (Lstm): InputDim is missing; set InputDim to the number of features per timestep (Keras input_shape[1]), e.g. InputDim = 8."),
        new("RNNG006_input_dim_missing_in_stack_starting_with_dropout",
            "[Sequential(Timesteps = 4)]\n[Dropout(0.1)]\n[Lstm(3)]\npublic partial class Encoder;",
            "RNNG006", "Sequential(Timesteps = 4)",
            "'Encoder' ([Sequential]): InputDim is missing: declare it on [Sequential]; set InputDim to the number of features per timestep (Keras input_shape[1]), e.g. InputDim = 8."),
        new("RNNG007_unknown_activation_with_suggestion",
            "[Lstm(3, Timesteps = 4, InputDim = 5, Activation = \"rleu\")]\npublic partial class Encoder;",
            "RNNG007", "\"rleu\"",
            $"Layer 1 (Lstm): Activation 'rleu' is not a Keras activation RnnGen knows. Did you mean 'relu'? Valid names: {Activations}."),
        new("RNNG007_unknown_recurrent_activation",
            "[Gru(3, Timesteps = 4, InputDim = 5, RecurrentActivation = \"HardSigmoid\")]\npublic partial class Encoder;",
            "RNNG007", "\"HardSigmoid\"",
            $"Layer 1 (Gru): RecurrentActivation 'HardSigmoid' is not a Keras activation RnnGen knows. Did you mean 'hard_sigmoid'? Valid names: {Activations}."),
        new("RNNG007_unknown_dense_activation_without_suggestion",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3)]\n[Dense(2, Activation = \"banana\")]\npublic partial class Classifier;",
            "RNNG007", "\"banana\"",
            $"Layer 2 (Dense): Activation 'banana' is not a Keras activation RnnGen knows. Valid names: {Activations}, softmax."),
        new("RNNG008_unknown_initializer",
            "[Lstm(3, Timesteps = 4, InputDim = 5, KernelInitializer = \"glorot_unifrom\")]\npublic partial class Encoder;",
            "RNNG008", "\"glorot_unifrom\"",
            $"Layer 1 (Lstm): KernelInitializer 'glorot_unifrom' is not a Keras initializer. Did you mean 'glorot_uniform'? Valid names: {Initializers}."),
        new("RNNG009_constant_without_value",
            "[Lstm(3, Timesteps = 4, InputDim = 5, KernelInitializer = \"constant()\")]\npublic partial class Encoder;",
            "RNNG009", "\"constant()\"",
            "Layer 1 (Lstm): KernelInitializer is malformed: 'constant()' has 0 argument(s); write constant(value)."),
        new("RNNG009_constant_not_a_number",
            "[SimpleRnn(3, Timesteps = 4, InputDim = 5, RecurrentInitializer = \"constant(abc)\")]\npublic partial class Encoder;",
            "RNNG009", "\"constant(abc)\"",
            "Layer 1 (SimpleRnn): RecurrentInitializer is malformed: 'abc' in 'constant(abc)' is not a finite number (use '.' as the decimal separator)."),
        new("RNNG009_orthogonal_bias",
            "[Lstm(3, Timesteps = 4, InputDim = 5, BiasInitializer = \"orthogonal\")]\npublic partial class Encoder;",
            "RNNG009", "\"orthogonal\"",
            "Layer 1 (Lstm): BiasInitializer is malformed: 'orthogonal' needs a 2-D weight, and this one is 1-D (Keras raises the same error)."),
        new("RNNG010_bidirectional_go_backwards",
            "[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true, GoBackwards = true)]\npublic partial class Encoder;",
            "RNNG010", "true",
            "Layer 1 (Lstm): Bidirectional cannot wrap a layer with GoBackwards = true: its backward copy already reads the sequence in reverse, and Keras 3 rejects the pair ('Forward layer and backward layer should have different go_backwards value'). Remove GoBackwards.",
            Before: "GoBackwards = "),
        new("RNNG011_layers_without_sequential",
            "[Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG011", "Lstm(2)",
            "'Encoder' has 2 layer attributes, [Lstm] (layer 1) and [Lstm] (layer 2), but no [Sequential]: add [Sequential] before them to declare a stack, or keep a single layer attribute."),
        new("RNNG011_recurrent_and_dense_without_sequential",
            "[Gru(3, Timesteps = 4, InputDim = 5)]\n[Dense(1)]\npublic partial class Forecaster;",
            "RNNG011", "Dense(1)",
            "'Forecaster' has 2 layer attributes, [Gru] (layer 1) and [Dense] (layer 2), but no [Sequential]: add [Sequential] before them to declare a stack, or keep a single layer attribute."),
        new("RNNG012_recurrent_layer_after_last_output",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG012", "Lstm(2)",
            "Layer 2 (Lstm) needs a sequence, but layer 1 (Lstm) returns only its last output: set ReturnSequences = true on layer 1."),
        new("RNNG012_recurrent_layer_after_dense_on_last_output",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Gru(3)]\n[Dropout(0.2)]\n[Dense(4)]\n[SimpleRnn(2)]\npublic partial class Encoder;",
            "RNNG012", "SimpleRnn(2)",
            "Layer 4 (SimpleRnn) needs a sequence, but layer 1 (Gru) returns only its last output, and the layers in between (Dropout, Dense) keep it without a time axis: set ReturnSequences = true on layer 1."),
        new("RNNG012_recurrent_layer_after_dropout_on_last_output",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3)]\n[Dropout(0.2)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG012", "Lstm(2)",
            "Layer 3 (Lstm) needs a sequence, but layer 1 (Lstm) returns only its last output, and the layer in between (Dropout) keeps it without a time axis: set ReturnSequences = true on layer 1."),
        new("RNNG012_global_pooling_after_last_output",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3)]\n[Dense(4)]\n[GlobalAveragePooling1D]\npublic partial class Classifier;",
            "RNNG012", "GlobalAveragePooling1D",
            "Layer 3 (GlobalAveragePooling1D) needs a sequence, but layer 1 (Lstm) returns only its last output, and the layer in between (Dense) keeps it without a time axis: set ReturnSequences = true on layer 1."),
        new("RNNG013_input_dim_on_later_layer",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3, ReturnSequences = true)]\n[Lstm(2, InputDim = 7)]\npublic partial class Encoder;",
            "RNNG013", "7",
            "Layer 2 (Lstm) declares InputDim = 7, but its input has InputDim = 3 (the output of layer 1 (Lstm)): remove InputDim from layer 2, or make them agree."),
        new("RNNG013_timesteps_on_later_layer",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Gru(3, ReturnSequences = true)]\n[Gru(2, Timesteps = 8)]\npublic partial class Encoder;",
            "RNNG013", "8",
            "Layer 2 (Gru) declares Timesteps = 8, but its input has Timesteps = 4 (the output of layer 1 (Gru)): remove Timesteps from layer 2, or make them agree."),
        new("RNNG013_first_layer_contradicts_sequential",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3, InputDim = 6)]\npublic partial class Encoder;",
            "RNNG013", "6",
            "Layer 1 (Lstm) declares InputDim = 6, but its input has InputDim = 5 (declared on [Sequential]): remove InputDim from layer 1, or make them agree."),
        new("RNNG014_return_state_not_last",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3, ReturnSequences = true, ReturnState = true)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG014", "true",
            "Layer 1 (Lstm) sets ReturnState = true but is not the last layer: a stack passes one tensor to layer 2 (Lstm). Move ReturnState = true to the last layer or remove it.",
            Before: "ReturnState = "),
        new("RNNG014_merge_mode_none_not_last",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3, ReturnSequences = true, Bidirectional = true, MergeMode = MergeMode.None)]\n[Dropout(0.5)]\n[Dense(2)]\npublic partial class Tagger;",
            "RNNG014", "MergeMode.None",
            "Layer 1 (Lstm) sets MergeMode = MergeMode.None but is not the last layer: a stack passes one tensor to layer 3 (Dense). Move MergeMode = MergeMode.None to the last layer or remove it."),
        new("RNNG015_dropout_layer_rate",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3)]\n[Dropout(1.5)]\n[Dense(1)]\npublic partial class Forecaster;",
            "RNNG015", "1.5",
            "Layer 2 (Dropout): rate = 1.5 is outside [0, 1); Keras requires 0 <= rate < 1."),
        new("RNNG015_dropout_property",
            "[Lstm(3, Timesteps = 4, InputDim = 5, Dropout = -0.1)]\npublic partial class Encoder;",
            "RNNG015", "-0.1",
            "Layer 1 (Lstm): Dropout = -0.1 is outside [0, 1); Keras requires 0 <= rate < 1."),
        new("RNNG015_recurrent_dropout_property",
            "[Gru(3, Timesteps = 4, InputDim = 5, RecurrentDropout = 1)]\npublic partial class Encoder;",
            "RNNG015", "1",
            "Layer 1 (Gru): RecurrentDropout = 1 is outside [0, 1); Keras requires 0 <= rate < 1."),
        new("RNNG016_attributes_on_two_declarations",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3, ReturnSequences = true)]\npublic partial class Encoder;\n\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG016", "Encoder",
            "'Encoder' declares layer attributes on more than one partial declaration: put [Sequential] and all layer attributes on one declaration, where their order is the layer order."),
        new("RNNG017_softmax_on_recurrent_layer",
            "[Lstm(3, Timesteps = 4, InputDim = 5, Activation = \"softmax\")]\npublic partial class Encoder;",
            "RNNG017", "\"softmax\"",
            "Layer 1 (Lstm): Activation 'softmax' is not allowed here: softmax couples all units, which only a Dense layer supports; use it on a Dense layer after this one."),
        new("RNNG017_undefined_merge_mode",
            "[Lstm(3, Timesteps = 4, InputDim = 5, Bidirectional = true, MergeMode = (MergeMode)9)]\npublic partial class Encoder;",
            "RNNG017", "(MergeMode)9",
            "Layer 1 (Lstm): MergeMode '9' is not allowed here: use one of MergeMode.Concat, Sum, Mul, Ave or None."),
        new("RNNG018_dense_without_sequential",
            "[Dense(3)]\npublic partial class Projection;",
            "RNNG018", "Dense(3)",
            "'Projection' declares [Dense] without [Sequential]: the layer needs a stack; add [Sequential(Timesteps = ..., InputDim = ...)] before the layer attributes."),
        new("RNNG018_global_pooling_without_sequential",
            "[GlobalMaxPooling1D]\npublic partial class Pool;",
            "RNNG018", "GlobalMaxPooling1D",
            "'Pool' declares [GlobalMaxPooling1D] without [Sequential]: the layer needs a stack; add [Sequential(Timesteps = ..., InputDim = ...)] before the layer attributes."),
        new("RNNG018_embedding_without_sequential",
            "[Embedding(100, 8)]\npublic partial class Tokens;",
            "RNNG018", "Embedding(100, 8)",
            "'Tokens' declares [Embedding] without [Sequential]: the layer needs a stack; add [Sequential(Timesteps = ..., InputDim = ...)] before the layer attributes."),
        new("RNNG018_dropout_without_sequential",
            "[Dropout(0.5)]\npublic partial class Noise;",
            "RNNG018", "Dropout(0.5)",
            "'Noise' declares [Dropout] without [Sequential]: the layer needs a stack; add [Sequential(Timesteps = ..., InputDim = ...)] before the layer attributes."),
        new("RNNG019_sequential_without_layers",
            "[Sequential(Timesteps = 4, InputDim = 5)]\npublic partial class Empty;",
            "RNNG019", "Sequential(Timesteps = 4, InputDim = 5)",
            "'Empty' has [Sequential] but no layer attributes: add at least one SimpleRnn, Lstm, Gru or Dense layer attribute after it."),
        new("RNNG019_sequential_with_only_dropout",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Dropout(0.2)]\npublic partial class Empty;",
            "RNNG019", "Sequential(Timesteps = 4, InputDim = 5)",
            "'Empty' has [Sequential] but only Dropout layers: add at least one SimpleRnn, Lstm, Gru or Dense layer attribute after it."),
        new("RNNG020_merge_mode_without_bidirectional",
            "[Lstm(3, Timesteps = 4, InputDim = 5, MergeMode = MergeMode.Sum)]\npublic partial class Encoder;",
            "RNNG020", "MergeMode.Sum",
            "Layer 1 (Lstm): MergeMode has no effect without Bidirectional = true; set Bidirectional = true or remove MergeMode"),
        new("RNNG021_timesteps_too_large",
            "[Lstm(3, Timesteps = 2000000, InputDim = 5)]\npublic partial class Encoder;",
            "RNNG021", "2000000",
            "Layer 1 (Lstm): Timesteps is too large (2000000); RnnGen supports at most 1048576."),
        new("RNNG021_input_dim_too_large",
            "[Sequential(Timesteps = 4, InputDim = 70000)]\n[Lstm(3)]\npublic partial class Encoder;",
            "RNNG021", "70000",
            "'Encoder' ([Sequential]): InputDim is too large (70000); RnnGen supports at most 65536."),
        new("RNNG021_units_too_large",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3)]\n[Dense(int.MaxValue)]\npublic partial class Encoder;",
            "RNNG021", "int.MaxValue",
            "Layer 2 (Dense): units is too large (2147483647); RnnGen supports at most 65536."),
        new("RNNG021_parameter_count_too_large",
            "[Lstm(60000, Timesteps = 2, InputDim = 60000)]\npublic partial class Encoder;",
            "RNNG021", "Lstm(60000, Timesteps = 2, InputDim = 60000)",
            "'Encoder': the parameter count is too large (28800240000); RnnGen supports at most 1073741823."),
        new("RNNG021_input_tensor_too_large",
            "[SimpleRnn(1, Timesteps = 1048576, InputDim = 65536)]\npublic partial class Encoder;",
            "RNNG021", "SimpleRnn(1, Timesteps = 1048576, InputDim = 65536)",
            "'Encoder': the input (Timesteps x InputDim = 1048576 x 65536 floats) is too large (68719476736); RnnGen supports at most 268435456."),
        new("RNNG021_output_sequence_too_large",
            "[Sequential(Timesteps = 1048576, InputDim = 1)]\n[SimpleRnn(300, ReturnSequences = true)]\n[Dense(1)]\npublic partial class Encoder;",
            "RNNG021", "SimpleRnn(300, ReturnSequences = true)",
            "Layer 1 (SimpleRnn): the output sequence (Timesteps x width = 1048576 x 300 floats) is too large (314572800); RnnGen supports at most 268435456."),
        new("RNNG021_too_many_layers",
            "[Sequential(Timesteps = 2, InputDim = 1)]\n" + string.Concat(Enumerable.Repeat("[Dense(1)]\n", 65)) + "public partial class Encoder;",
            "RNNG021", "Sequential(Timesteps = 2, InputDim = 1)",
            "'Encoder': the number of layers is too large (65); RnnGen supports at most 64."),
        new("RNNG022_class_named_like_a_generated_member",
            "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic partial class Input;",
            "RNNG022", "Input",
            "'Input' is also the name of a member RnnGen generates in this model (a public member); rename the class."),
        new("RNNG022_class_named_like_a_layer_method",
            "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic partial class LstmLayer;",
            "RNNG022", "LstmLayer",
            "'LstmLayer' is also the name of a member RnnGen generates in this model (a private member of the generated implementation); rename the class."),
        new("RNNG023_primary_constructor",
            "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic partial class Encoder(int size)\n{\n    public int Size => size;\n}",
            "RNNG023", "Encoder",
            "'Encoder' has a primary constructor; RnnGen adds the constructors Encoder() and Encoder(int seed), which a primary constructor would have to call. Remove the parameter list and use fields or properties."),
        new("RNNG024_field_named_like_a_generated_constant",
            "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Encoder\n{\n    public int Units;\n}",
            "RNNG024", "Units",
            "Field 'Units' clashes with the public constant 'Units' in the code RnnGen generates for 'Encoder': rename the field."),
        new("RNNG024_constructor_with_the_seed_signature",
            "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Encoder\n{\n    public Encoder(int size) { }\n}",
            "RNNG024", "Encoder",
            "Constructor 'Encoder(int)' clashes with the public constructor 'Encoder(int)' in the code RnnGen generates for 'Encoder': give it other parameters or remove it.",
            Before: "public "),
        new("RNNG024_method_with_a_generated_signature",
            "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Encoder\n{\n    public float[][] GetWeights() => new float[0][];\n}",
            "RNNG024", "GetWeights",
            "Method 'GetWeights()' clashes with the public method 'GetWeights()' in the code RnnGen generates for 'Encoder': rename the method."),
        new("RNNG024_member_named_like_a_private_generated_member",
            "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Encoder\n{\n    private void LstmLayer(string note) { }\n}",
            "RNNG024", "LstmLayer",
            "Method 'LstmLayer(string)' clashes with the private method 'LstmLayer' in the code RnnGen generates for 'Encoder': rename the method (the names of the generated private members are reserved, whatever the parameters)."),
        new("RNNG024_nested_type_named_like_a_generated_type",
            "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Encoder\n{\n    public class Input { }\n}",
            "RNNG024", "Input",
            "Nested type 'Input' clashes with the public nested type 'Input' in the code RnnGen generates for 'Encoder': rename the nested type."),
        new("RNNG025_weight_precision_not_a_value_of_the_enum",
            "[Sequential(Timesteps = 4, InputDim = 5, WeightPrecision = (WeightPrecision)7)]\n[Lstm(3)]\npublic partial class Encoder;",
            "RNNG025", "(WeightPrecision)7",
            "'Encoder' ([Sequential]): WeightPrecision = 7 is not a value RnnGen knows; use one of WeightPrecision.Float32, WeightPrecision.BFloat16."),
        new("RNNG026_weight_precision_without_a_recurrent_layer",
            "[Sequential(Timesteps = 4, InputDim = 5, WeightPrecision = WeightPrecision.BFloat16)]\n[Dense(3)]\npublic partial class Head;",
            "RNNG026", "WeightPrecision.BFloat16",
            "'Head' ([Sequential]): WeightPrecision.BFloat16 changes how recurrent layers store their weights, and this model has none; its weights stay float32. Remove WeightPrecision."),
        new("RNNG040_keras_file_not_in_the_build",
            "[KerasModel(\"models/forecaster.keras\")]\npublic partial class Forecaster;",
            "RNNG040", "\"models/forecaster.keras\"",
            "'models/forecaster.keras' is not a KerasModel item of this project: add <KerasModel Include=\"models/forecaster.keras\" /> to the project file, so that the build reads the file (the generator reads no files itself).")
        {
            KerasModels = new[] { KerasModelHarness.Import("generated/keras3_stack.keras", "models/other.keras") },
        },
        new("RNNG041_not_a_keras_file",
            "[KerasModel(\"notes.keras\")]\npublic partial class Notes;",
            "RNNG041", "\"notes.keras\"",
            "'notes.keras' cannot be used as a Keras model: Not a Keras weight file: expected a zip archive (.keras, .npz; starts with \"PK\") or an HDF5 file (.h5; starts with \"\\x89HDF\"), but the file starts with \"not a mo\".")
        {
            KerasModels = new[] { KerasModelHarness.Import(KerasModelHarness.TemporaryFile("notes.keras", Encoding.ASCII.GetBytes("not a model")), "notes.keras") },
        },
        new("RNNG042_unsupported_keras_layer",
            "[KerasModel(\"models/lambda.h5\")]\npublic partial class AfterLambda;",
            "RNNG042", "\"models/lambda.h5\"",
            "'models/lambda.h5' has a layer RnnGen does not compile: lambda (Lambda): changes the model's output and RnnGen has no Lambda layer. Remove it from the Keras model and apply it to the output yourself, or declare the model by hand with layer attributes and load the file with KerasWeights.Load(model, path, ignoredLayers).")
        {
            KerasModels = new[] { KerasModelHarness.Import("generated/keras2_lambda_model.h5", "models/lambda.h5") },
        },
        new("RNNG043_keras_model_without_a_fixed_length",
            "[KerasModel(\"models/open.keras\")]\npublic partial class Open;",
            "RNNG043", "\"models/open.keras\"",
            "'models/open.keras' leaves the sequence length open (Input(shape=(None, features))): set the length the model will be fed on the attribute, as in [KerasModel(\"models/open.keras\", Timesteps = 40)]; RNN weights fit any length.")
        {
            KerasModels = new[] { KerasModelHarness.Import("generated/keras3_stack_deflated.keras", "models/open.keras") },
        },
        new("RNNG043_keras_model_with_timesteps_not_positive",
            "[KerasModel(\"models/open.keras\", Timesteps = 0)]\npublic partial class Open;",
            "RNNG043", "0",
            "'models/open.keras' is given Timesteps = 0, which is not positive: set the length the model will be fed on the attribute, as in [KerasModel(\"models/open.keras\", Timesteps = 40)]; RNN weights fit any length.")
        {
            KerasModels = new[] { KerasModelHarness.Import("generated/keras3_stack_deflated.keras", "models/open.keras") },
        },
        new("RNNG044_keras_weights_contradict_the_configuration",
            "[KerasModel(\"models/wrong.keras\")]\npublic partial class Wrong;",
            "RNNG044", "\"models/wrong.keras\"",
            "The weights of 'models/wrong.keras' do not fit its configuration: gru/kernel: the configuration gives [8, 15], the file's 'layers/gru/cell/vars/0' is [8, 9]; gru/recurrent_kernel: the configuration gives [5, 15], the file's 'layers/gru/cell/vars/1' is [3, 9]; gru/bias: the configuration gives [2, 15], the file's 'layers/gru/cell/vars/2' is [2, 9]; dense/kernel: the configuration gives [5, 4], the file's 'layers/dense/vars/0' is [3, 4].")
        {
            KerasModels = new[] { KerasModelHarness.Import(KerasModelHarness.ContradictingKerasFile(), "models/wrong.keras") },
        },
        new("RNNG045_keras_model_with_layer_attributes",
            "[KerasModel(\"m.keras\")]\n[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class M;",
            "RNNG045", "M",
            "'M' is declared by [KerasModel], so it cannot also carry layer attributes ([Lstm]): remove them, or remove [KerasModel] and declare the model by hand.")
        {
            KerasModels = new[] { KerasModelHarness.Import("generated/keras3_stack.keras", "m.keras") },
        },
        new("RNNG046_keras_model_description_unreadable",
            "[KerasModel(\"m.keras\")]\npublic partial class M;",
            "RNNG046", "\"m.keras\"",
            "The build's description of 'm.keras' is not one this generator reads (its first line is not 'rnngen-keras-model 1'): rebuild; if it stays, the RnnGen build files and generator come from different versions.")
        {
            KerasModels = new[] { new KerasModelItem("m.keras", "rnngen-keras-model 0\nsomething else\n", null) },
        },
        new("RNNG030_layer_normalization_over_time",
            "[Sequential(Timesteps = 4, InputDim = 3)]\n[Lstm(5, ReturnSequences = true)]\n[LayerNormalization(Axis = 1)]\npublic partial class Forecaster;",
            "RNNG030", "1",
            "Layer 2 (LayerNormalization): Axis = 1 is the time axis of its (batch, timesteps, 5) input; RnnGen normalizes the last (features) axis only: leave Axis out or write Axis = -1, the Keras default."),
        new("RNNG030_batch_normalization_over_batch",
            "[Sequential(Timesteps = 4, InputDim = 3)]\n[Lstm(5)]\n[BatchNormalization(Axis = 0)]\n[Dense(1)]\npublic partial class Forecaster;",
            "RNNG030", "0",
            "Layer 2 (BatchNormalization): Axis = 0 is the batch axis of its (batch, 5) input; RnnGen normalizes the last (features) axis only: leave Axis out or write Axis = -1, the Keras default."),
        new("RNNG030_normalization_over_time",
            "[Sequential(Timesteps = 4, InputDim = 3)]\n[Normalization(Axis = -2)]\n[Lstm(5)]\npublic partial class Forecaster;",
            "RNNG030", "-2",
            "Layer 1 (Normalization): Axis = -2 is the time axis of its (batch, timesteps, 3) input; RnnGen normalizes the last (features) axis only: leave Axis out or write Axis = -1, the Keras default."),
        new("RNNG031_epsilon_zero",
            "[Sequential(Timesteps = 4, InputDim = 3)]\n[Lstm(5)]\n[LayerNormalization(Epsilon = 0f)]\npublic partial class Forecaster;",
            "RNNG031", "0f",
            "Layer 2 (LayerNormalization): Epsilon = 0 is not a positive finite number; Keras adds it to the variance under the square root, so it must be greater than 0."),
        new("RNNG007_unknown_activation_layer_with_suggestion",
            "[Sequential(Timesteps = 4, InputDim = 3)]\n[Lstm(5)]\n[Activation(\"sigmoidd\")]\npublic partial class Classifier;",
            "RNNG007", "\"sigmoidd\"",
            $"Layer 2 (Activation): activation 'sigmoidd' is not a Keras activation RnnGen knows. Did you mean 'sigmoid'? Valid names: {Activations}, softmax."),
        new("RNNG055_rescaling_scale_not_a_number",
            "[Sequential(Timesteps = 4, InputDim = 3)]\n[Rescaling(float.NaN)]\n[Lstm(5)]\npublic partial class Forecaster;",
            "RNNG055", "float.NaN",
            "Layer 1 (Rescaling): Scale = NaN is not a finite number; every value of the layer's output would be infinite or NaN."),
        new("RNNG056_recurrent_layer_after_global_pooling",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[Lstm(3, ReturnSequences = true)]\n[GlobalAveragePooling1D]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG056", "Lstm(2)",
            "Layer 3 (Lstm) needs a sequence, but layer 2 (GlobalAveragePooling1D) has pooled the time axis away: put layer 3 before layer 2, or remove layer 2."),
        new("RNNG056_global_pooling_after_global_pooling",
            "[Sequential(Timesteps = 4, InputDim = 5)]\n[GlobalAveragePooling1D]\n[Dense(3)]\n[GlobalMaxPooling1D]\npublic partial class Pool;",
            "RNNG056", "GlobalMaxPooling1D",
            "Layer 3 (GlobalMaxPooling1D) needs a sequence, but layer 1 (GlobalAveragePooling1D) has pooled the time axis away (layer 2 (Dense) passes on its vector): remove one of the two pooling layers."),
        new("RNNG013_timesteps_after_convolution",
            "[Sequential(Timesteps = 8, InputDim = 3)]\n[Conv1D(4, 3)]\n[Lstm(2, Timesteps = 8)]\npublic partial class Encoder;",
            "RNNG013", "8",
            "Layer 2 (Lstm) declares Timesteps = 8, but its input has Timesteps = 6 (the output of layer 1 (Conv1D)): remove Timesteps from layer 2, or make them agree."),
        new("RNNG057_conv1d_kernel_size_zero",
            "[Sequential(Timesteps = 8, InputDim = 3)]\n[Conv1D(4, 0)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG057", "0",
            "Layer 1 (Conv1D): kernelSize is 0; it must be from 1 to 1048576."),
        new("RNNG057_pooling_strides_zero",
            "[Sequential(Timesteps = 8, InputDim = 3)]\n[MaxPooling1D(Strides = 0)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG057", "0",
            "Layer 1 (MaxPooling1D): Strides is 0; it must be from 1 to 1048576."),
        new("RNNG058_misspelt_padding",
            "[Sequential(Timesteps = 8, InputDim = 3)]\n[Conv1D(4, 3, Padding = \"casual\")]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG058", "\"casual\"",
            "Layer 1 (Conv1D): Padding = \"casual\" is not a Keras padding of this layer; use \"valid\", \"same\" or \"causal\". Did you mean \"causal\"?"),
        new("RNNG058_causal_pooling",
            "[Sequential(Timesteps = 8, InputDim = 3)]\n[AveragePooling1D(2, Padding = \"causal\")]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG058", "\"causal\"",
            "Layer 1 (AveragePooling1D): Padding = \"causal\" is not a Keras padding of this layer; use \"valid\" or \"same\" (causal padding is Conv1D's only)."),
        new("RNNG059_kernel_longer_than_the_sequence",
            "[Sequential(Timesteps = 4, InputDim = 3)]\n[Conv1D(4, 5)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG059", "Conv1D(4, 5)",
            "Layer 1 (Conv1D) reads sequences of 4 timesteps, shorter than one window of 5 timesteps (KernelSize = 5): with Padding = \"valid\" no output timestep would remain (Keras rejects the layer). Use Padding = \"same\", a smaller window or longer sequences."),
        new("RNNG059_pooling_after_pooling",
            "[Sequential(Timesteps = 5, InputDim = 3)]\n[MaxPooling1D]\n[MaxPooling1D(3)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG059", "MaxPooling1D(3)",
            "Layer 2 (MaxPooling1D) reads sequences of 2 timesteps, shorter than one window of 3 timesteps (poolSize = 3): with Padding = \"valid\" no output timestep would remain (Keras rejects the layer). Use Padding = \"same\", a smaller window or longer sequences."),
        new("RNNG059_dilated_kernel",
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Conv1D(4, 3, DilationRate = 3)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG059", "Conv1D(4, 3, DilationRate = 3)",
            "Layer 1 (Conv1D) reads sequences of 6 timesteps, shorter than one window of 7 timesteps (KernelSize = 3 with DilationRate = 3): with Padding = \"valid\" no output timestep would remain (Keras rejects the layer). Use Padding = \"same\", a smaller window or longer sequences."),
        new("RNNG060_groups_do_not_divide",
            "[Sequential(Timesteps = 8, InputDim = 3)]\n[Conv1D(4, 2, Groups = 2)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG060", "2",
            "Layer 1 (Conv1D): Groups = 2 must divide both the 3 input features and the 4 filters, as Keras requires, but the 3 input features are not a multiple of 2."),
        new("RNNG061_strides_with_dilation",
            "[Sequential(Timesteps = 16, InputDim = 3)]\n[Conv1D(4, 2, Strides = 2, DilationRate = 3)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG061", "3",
            "Layer 1 (Conv1D): Strides = 2 with DilationRate = 3; Keras allows a dilation above 1 only with Strides = 1."),
        new("RNNG062_convolution_after_masking",
            "[Sequential(Timesteps = 8, InputDim = 3)]\n[Masking]\n[Conv1D(4, 3)]\n[Lstm(2)]\npublic partial class Tagger;",
            "RNNG062", "Conv1D(4, 3)",
            "Layer 2 (Conv1D) comes after layer 1 (Masking), which masks timesteps, but Keras's Conv1D does not support masking (its output timesteps are not its input's), so RnnGen does not generate the pair: remove [Masking], or remove layer 2."),
        new("RNNG062_pooling_after_embedding_mask_zero",
            "[Sequential(Timesteps = 8)]\n[Embedding(100, 8, MaskZero = true)]\n[MaxPooling1D]\n[Lstm(2)]\npublic partial class Tagger;",
            "RNNG062", "MaxPooling1D",
            "Layer 2 (MaxPooling1D) comes after layer 1 (Embedding), which masks timesteps, but Keras's MaxPooling1D does not support masking (its output timesteps are not its input's), so RnnGen does not generate the pair: set MaskZero = false, or remove layer 2."),
        new("RNNG063_repeat_vector_after_a_sequence",
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Lstm(5, ReturnSequences = true)]\n[RepeatVector(4)]\n[Lstm(2)]\npublic partial class AutoEncoder;",
            "RNNG063", "RepeatVector(4)",
            "Layer 2 (RepeatVector) needs a vector, but its input, the output of layer 1 (Lstm), is a sequence of 6 timesteps: put it after a layer that returns one vector (a recurrent layer without ReturnSequences, a global pooling layer or [Flatten])."),
        new("RNNG063_recurrent_layer_after_flatten",
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Flatten]\n[Dense(4)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG063", "Lstm(2)",
            "Layer 3 (Lstm) needs a sequence, but layer 1 (Flatten) has made its input one vector: put layer 3 before layer 1, or reshape to (timesteps, features) with [Reshape(timesteps, features)]."),
        new("RNNG057_repeat_vector_zero",
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Lstm(5)]\n[RepeatVector(0)]\n[Lstm(2)]\npublic partial class AutoEncoder;",
            "RNNG057", "0",
            "Layer 2 (RepeatVector): n is 0; it must be from 1 to 1048576."),
        new("RNNG057_reshape_size_zero",
            "[Sequential(Timesteps = 6, InputDim = 4)]\n[Reshape(0, 8)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG057", "0",
            "Layer 1 (Reshape): targetTimesteps is 0; it must be from 1 to 1048576, or -1 for what the other size leaves."),
        new("RNNG064_reshape_count_differs",
            "[Sequential(Timesteps = 6, InputDim = 4)]\n[Reshape(5, 5)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG064", "Reshape(5, 5)",
            "Layer 1 (Reshape): the target shape (5, 5) cannot hold the 24 values of its input (6, 4): it holds 25 values, and Keras requires as many as the input's."),
        new("RNNG064_reshape_minus_one_not_whole",
            "[Sequential(Timesteps = 6, InputDim = 4)]\n[Reshape(-1, 5)]\n[Lstm(2)]\npublic partial class Encoder;",
            "RNNG064", "Reshape(-1, 5)",
            "Layer 1 (Reshape): the target shape (-1, 5) cannot hold the 24 values of its input (6, 4): -1 would be 24 / 5, not a whole number."),
        new("RNNG055_rescaling_offset_infinite",
            "[Sequential(Timesteps = 4, InputDim = 3)]\n[Rescaling(0.5f, Offset = float.PositiveInfinity)]\n[Lstm(5)]\npublic partial class Forecaster;",
            "RNNG055", "float.PositiveInfinity",
            "Layer 1 (Rescaling): Offset = Infinity is not a finite number; every value of the layer's output would be infinite or NaN."),
        new("RNNG050_masking_not_first",
            "[Sequential(Timesteps = 4, InputDim = 3)]\n[Dense(8)]\n[Masking]\n[Lstm(5)]\npublic partial class Tagger;",
            "RNNG050", "Masking",
            "Layer 2 (Masking) comes after layer 1 (Dense); RnnGen computes Masking's mask from the model input, so [Masking] must be the first layer: move it to the top of the stack, as Keras models put it."),
        new("RNNG050_masking_after_recurrent_layer",
            "[Sequential(Timesteps = 4, InputDim = 3)]\n[Lstm(5, ReturnSequences = true)]\n[Masking(MaskValue = 1f)]\n[Lstm(2)]\npublic partial class Tagger;",
            "RNNG050", "Masking(MaskValue = 1f)",
            "Layer 2 (Masking) comes after layer 1 (Lstm); RnnGen computes Masking's mask from the model input, so [Masking] must be the first layer: move it to the top of the stack, as Keras models put it."),
        new("RNNG051_embedding_not_first",
            "[Sequential(Timesteps = 4, InputDim = 1)]\n[Dense(8)]\n[Embedding(100, 8)]\n[Lstm(5)]\npublic partial class Tagger;",
            "RNNG051", "Embedding(100, 8)",
            "Layer 2 (Embedding) comes after layer 1 (Dense); an Embedding reads the model's integer tokens, so [Embedding] must be the first layer, as in Keras text models."),
        new("RNNG052_embedding_input_dim_zero",
            "[Sequential(Timesteps = 4)]\n[Embedding(0, 8)]\n[Lstm(5)]\npublic partial class Tagger;",
            "RNNG052", "0",
            "Layer 1 (Embedding): inputDim is 0; it must be from 1 to 16777216."),
        new("RNNG052_embedding_output_dim_negative",
            "[Sequential(Timesteps = 4)]\n[Embedding(100, outputDim: -3, MaskZero = true)]\n[Lstm(5)]\npublic partial class Tagger;",
            "RNNG052", "-3",
            "Layer 1 (Embedding): outputDim is -3; it must be from 1 to 65536."),
        new("RNNG052_embedding_input_dim_beyond_exact_floats",
            "[Sequential(Timesteps = 4)]\n[Embedding(16777217, 2)]\n[Lstm(5)]\npublic partial class Tagger;",
            "RNNG052", "16777217",
            "Layer 1 (Embedding): inputDim is 16777217; it must be from 1 to 16777216."),
        new("RNNG053_input_dim_with_embedding_first",
            "[Sequential(Timesteps = 4, InputDim = 8)]\n[Embedding(100, 8)]\n[Lstm(5)]\npublic partial class Tagger;",
            "RNNG053", "8",
            "'Tagger' ([Sequential]) declares InputDim = 8, but layer 1 is an Embedding, whose input is one integer token per timestep (Keras input shape (batch, Timesteps)): leave InputDim out, or declare 1."),
        new("RNNG032_momentum_above_one",
            "[Sequential(Timesteps = 4, InputDim = 3)]\n[Lstm(5)]\n[BatchNormalization(Momentum = 1.5f)]\npublic partial class Forecaster;",
            "RNNG032", "1.5f",
            "Layer 2 (BatchNormalization): Momentum = 1.5 is outside [0, 1]; the moving statistics are momentum * old + (1 - momentum) * batch."),
        new("RNNG070_graph_name_repeated",
            GraphChains + "[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 3)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\", InitialState = \"encoder\")]\npublic partial class Translator;",
            "RNNG070", "\"decoder_inputs\"",
            "[GraphInput] 'decoder_inputs': the name is also [GraphInput] 'decoder_inputs'; give each input and node its own name, as Keras does.",
            Before: "InputDim = 2)]\n[GraphInput(") { ValidModels = 2 },
        new("RNNG070_graph_layers_do_not_name_each_layer",
            GraphChains + "[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\", InitialState = \"encoder\", Layers = new[] { \"decoder\" })]\npublic partial class Translator;",
            "RNNG070", "new[] { \"decoder\" }",
            "[GraphNode] 'decoder': Layers names 1 file layer(s), but Decoder declares 2 layer(s); name the file layer of each, in order.") { ValidModels = 2 },
        new("RNNG070_graph_input_named_like_a_forward_local",
            GraphChains + "[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_input\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_input\", InitialState = \"encoder\")]\npublic partial class Translator;",
            "RNNG070", "\"decoder_input\"",
            "[GraphInput] 'decoder_input': its parameter name decoderInput is that of a local Forward keeps for [GraphNode] 'decoder'; rename one of them.",
            Before: "[GraphInput(") { ValidModels = 2 },
        new("RNNG070_graph_input_named_like_a_mask_local",
            GraphChains + "[Graph(\"decoder\")]\n[GraphInput(\"encoder_mask\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_mask\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\", InitialState = \"encoder\")]\npublic partial class Translator;",
            "RNNG070", "\"encoder_mask\"",
            "[GraphInput] 'encoder_mask': its parameter name encoderMask is that of a local Forward keeps for [GraphNode] 'encoder'; rename one of them.",
            Before: "[GraphInput(") { ValidModels = 2 },
        new("RNNG071_graph_reads_undeclared_tensor",
            GraphChains + "[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_input\", InitialState = \"encoder\")]\npublic partial class Translator;",
            "RNNG071", "\"decoder_input\"",
            "[GraphNode] 'decoder' reads 'decoder_input', which no [GraphInput], [GraphNode] or [Merge] of 'Translator' declares. Did you mean 'decoder_inputs'? Declared: 'encoder_inputs', 'decoder_inputs', 'encoder', 'decoder'.") { ValidModels = 2 },
        new("RNNG072_graph_cycle",
            GraphChains + "[Graph(\"b\")]\n[GraphInput(\"x\", Timesteps = 6, InputDim = 3)]\n[GraphNode(\"a\", typeof(Encoder), \"b\")]\n[GraphNode(\"b\", typeof(Encoder), \"a\")]\npublic partial class Loop;",
            "RNNG072", "GraphNode(\"a\", typeof(Encoder), \"b\")",
            "[GraphNode] 'a' is on a cycle: 'a' reads 'b' reads 'a'. A Keras model's layers form no cycle; make one of these read a graph input or a node outside the cycle.") { ValidModels = 2 },
        new("RNNG073_graph_node_not_a_chain",
            GraphChains + "public class Plain;\n\n[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Plain), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\")]\npublic partial class Translator;",
            "RNNG073", "typeof(Plain)",
            "[GraphNode] 'encoder': 'Plain' has no RnnGen layer attributes; a node's model must be a class declared with [Sequential] (a chain of layers).") { ValidModels = 2 },
        new("RNNG074_graph_input_shape_does_not_fit_the_chain",
            GraphChains + "[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 5, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\", InitialState = \"encoder\")]\npublic partial class Translator;",
            "RNNG074", "\"decoder_inputs\"",
            "[GraphNode] 'decoder': reads 'decoder_inputs', a [5, 2] sequence, but Decoder takes [4, 2] (Timesteps = 4, InputDim = 2); declare Decoder with Timesteps = 5, InputDim = 2, or read a tensor of its shape.",
            Before: "typeof(Decoder), ") { ValidModels = 2 },
        new("RNNG074_graph_concatenate_timesteps_differ",
            GraphChains + "[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\")]\n[Merge(\"both\", MergeOperation.Concatenate, \"decoder\", \"encoder\")]\n[GraphNode(\"head\", typeof(Decoder), \"both\")]\npublic partial class Translator;",
            "RNNG074", "\"encoder\"",
            "[Merge] 'both': 'decoder' is a [4, 3] sequence but 'encoder' is a vector of 5; Concatenate joins tensors with the same timesteps (or vectors) on their last axis.",
            Before: "\"decoder\", ") { ValidModels = 2 },
        new("RNNG074_graph_attention_reads_a_vector",
            GraphChains + "[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\")]\n[Attention(\"attention\", \"decoder\", \"encoder\")]\npublic partial class Translator;",
            "RNNG074", "\"encoder\"",
            "[Attention] 'attention': 'encoder' is a vector of 5; attention reads sequences (Keras: (batch, timesteps, features)), so return sequences from the layer before it.",
            Before: "\"decoder\", ") { ValidModels = 2 },
        new("RNNG074_graph_dot_axes_of_different_sizes",
            GraphChains + "[Graph(\"head\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\")]\n[Merge(\"scores\", MergeOperation.Dot, \"decoder\", \"encoder\", Axes = new[] { 2, 1 })]\n[GraphNode(\"head\", typeof(Decoder), \"scores\")]\npublic partial class Translator;",
            "RNNG074", "new[] { 2, 1 }",
            "[Merge] 'scores': Dot of 'decoder', a [4, 3] sequence, and 'encoder', a vector of 5: the dot axes do not have one size: the first tensor's feature axis has 3 and the second's feature axis has 5.")
        { ValidModels = 2 },
        new("RNNG074_graph_dot_option_on_another_merge",
            GraphChains + "[Graph(\"head\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\")]\n[Merge(\"both\", MergeOperation.Add, \"decoder\", \"decoder\", Normalize = true)]\n[GraphNode(\"head\", typeof(Decoder), \"both\")]\npublic partial class Translator;",
            "RNNG074", "true",
            "[Merge] 'both': Normalize is an option of MergeOperation.Dot, and this merge is Add: leave it out.")
        { ValidModels = 2 },
        new("RNNG074_graph_multi_head_attention_key_timesteps_differ",
            GraphChains + "[Sequential(Timesteps = 6, InputDim = 3)]\n[Lstm(3, ReturnSequences = true)]\npublic partial class Tokens;\n\n[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"tokens\", typeof(Tokens), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\")]\n[MultiHeadAttention(\"mha\", \"decoder\", \"decoder\", numHeads: 2, keyDim: 4, Key = \"tokens\")]\npublic partial class Translator;",
            "RNNG074", "\"tokens\"",
            "[MultiHeadAttention] 'mha': the key 'tokens' is a [6, 3] sequence, but it needs the value's 4 timesteps (a score per value timestep).",
            Before: "Key = ")
        { ValidModels = 3 },
        new("RNNG077_graph_multi_head_attention_output_over_16_kib",
            GraphChains + "[Sequential(Timesteps = 6, InputDim = 3)]\n[Lstm(3, ReturnSequences = true)]\npublic partial class Tokens;\n\n[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"tokens\", typeof(Tokens), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\")]\n[MultiHeadAttention(\"mha\", \"decoder\", \"tokens\", numHeads: 2, keyDim: 4, OutputShape = 2000)]\npublic partial class Translator;",
            "RNNG077", "2000",
            "[MultiHeadAttention] 'mha': an output of [4, 2000], over 16 KiB is not supported in a graph yet; lower OutputShape or the query's timesteps.",
            Before: "OutputShape = ")
        { ValidModels = 3 },
        new("RNNG077_graph_merge_of_a_masked_and_an_unmasked_sequence",
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Masking]\n[Lstm(5, ReturnSequences = true)]\npublic partial class MaskedEncoder;\n\n" +
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Gru(5, ReturnSequences = true)]\npublic partial class Plain;\n\n" +
            "[Sequential(Timesteps = 6, InputDim = 5)]\n[Lstm(2)]\npublic partial class Reader;\n\n" +
            "[Graph(\"reader\")]\n[GraphInput(\"x\", Timesteps = 6, InputDim = 3)]\n[GraphNode(\"encoder\", typeof(MaskedEncoder), \"x\")]\n[GraphNode(\"plain\", typeof(Plain), \"x\")]\n" +
            "[Merge(\"sum\", MergeOperation.Add, \"encoder\", \"plain\")]\n[GraphNode(\"reader\", typeof(Reader), \"sum\")]\npublic partial class Padded;",
            "RNNG077", "\"plain\"",
            "[Merge] 'sum': merging 'encoder', which carries the mask of the [Masking] of 'encoder', with 'plain', which carries no mask is not supported in a graph yet; tf.keras 2 and Keras 3 give such a merge different masks (the timesteps kept in every input, or in any): merge sequences that carry the same mask.",
            Before: "\"encoder\", ")
        { ValidModels = 3 },
        new("RNNG077_graph_multiply_of_masked_sequences",
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Masking]\n[Lstm(5, ReturnSequences = true)]\npublic partial class MaskedEncoder;\n\n" +
            "[Sequential(Timesteps = 6, InputDim = 5)]\n[Gru(5, ReturnSequences = true)]\npublic partial class Second;\n\n" +
            "[Sequential(Timesteps = 6, InputDim = 5)]\n[Lstm(2)]\npublic partial class Reader;\n\n" +
            "[Graph(\"reader\")]\n[GraphInput(\"x\", Timesteps = 6, InputDim = 3)]\n[GraphNode(\"encoder\", typeof(MaskedEncoder), \"x\")]\n[GraphNode(\"second\", typeof(Second), \"encoder\")]\n" +
            "[Merge(\"product\", MergeOperation.Multiply, \"encoder\", \"second\")]\n[GraphNode(\"reader\", typeof(Reader), \"product\")]\npublic partial class Padded;",
            "RNNG077", "Merge(\"product\", MergeOperation.Multiply, \"encoder\", \"second\")",
            "[Merge] 'product': Multiply of sequences that carry the mask of the [Masking] of 'encoder' is not supported in a graph yet; Keras versions differ in what Multiply, Maximum and Minimum give at masked timesteps: of the merges, Concatenate, Add, Subtract and Average take masked sequences.")
        { ValidModels = 3 },
        new("RNNG077_graph_masked_sequence_with_initial_state",
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Masking]\n[Lstm(5, ReturnSequences = true)]\npublic partial class MaskedEncoder;\n\n" +
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Lstm(4, ReturnState = true)]\npublic partial class StateEncoder;\n\n" +
            "[Sequential(Timesteps = 6, InputDim = 5)]\n[Lstm(4, ReturnSequences = true)]\npublic partial class Decoder;\n\n" +
            "[Graph(\"decoder\")]\n[GraphInput(\"x\", Timesteps = 6, InputDim = 3)]\n[GraphNode(\"encoder\", typeof(MaskedEncoder), \"x\")]\n[GraphNode(\"states\", typeof(StateEncoder), \"x\")]\n" +
            "[GraphNode(\"decoder\", typeof(Decoder), \"encoder\", InitialState = \"states\")]\npublic partial class Padded;",
            "RNNG077", "\"encoder\"",
            "[GraphNode] 'decoder': reading 'encoder', a sequence that carries the mask of the [Masking] of 'encoder', with InitialState is not supported in a graph yet; Keras 3 does not pass the mask to a recurrent layer called with initial_state (its call then has two tensor arguments), and tf.keras 2 does: the two compute different numbers for padded input.",
            Before: "typeof(Decoder), ")
        { ValidModels = 3 },
        new("RNNG077_graph_masked_chain_with_initial_state",
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Lstm(4, ReturnState = true)]\npublic partial class StateEncoder;\n\n" +
            "[Sequential(Timesteps = 5, InputDim = 1)]\n[Embedding(10, 3, MaskZero = true)]\n[Lstm(4, ReturnSequences = true)]\npublic partial class TokenDecoder;\n\n" +
            "[Graph(\"decoder\")]\n[GraphInput(\"x\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"tokens\", Timesteps = 5, InputDim = 1)]\n[GraphNode(\"states\", typeof(StateEncoder), \"x\")]\n" +
            "[GraphNode(\"decoder\", typeof(TokenDecoder), \"tokens\", InitialState = \"states\")]\npublic partial class Translator;",
            "RNNG077", "\"states\"",
            "[GraphNode] 'decoder': a chain whose [Embedding(MaskZero = true)] masks its recurrent layer, with InitialState is not supported in a graph yet; Keras 3 does not pass the mask to a recurrent layer called with initial_state (its call then has two tensor arguments), and tf.keras 2 does: the two compute different numbers for padded input.",
            Before: "InitialState = ")
        { ValidModels = 2 },
        new("RNNG077_graph_masked_sequence_into_a_chain_that_changes_its_timesteps",
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Masking]\n[Lstm(5, ReturnSequences = true)]\npublic partial class MaskedEncoder;\n\n" +
            "[Sequential(Timesteps = 6, InputDim = 5)]\n[Lstm(4, ReturnSequences = true)]\n[MaxPooling1D(2)]\npublic partial class Pooled;\n\n" +
            "[Graph(\"pooled\")]\n[GraphInput(\"x\", Timesteps = 6, InputDim = 3)]\n[GraphNode(\"encoder\", typeof(MaskedEncoder), \"x\")]\n[GraphNode(\"pooled\", typeof(Pooled), \"encoder\")]\npublic partial class Padded;",
            "RNNG077", "\"encoder\"",
            "[GraphNode] 'pooled': reading 'encoder', a sequence that carries the mask of the [Masking] of 'encoder', into Pooled, whose [MaxPooling1D] comes after a layer that reads the mask is not supported in a graph yet; a chain with a layer that changes the timesteps has no masked Forward: put the layers that read the mask before it in a chain of their own.",
            Before: "typeof(Pooled), ")
        { ValidModels = 2 },
        new("RNNG078_graph_multi_head_attention_without_heads",
            GraphChains + "[Sequential(Timesteps = 6, InputDim = 3)]\n[Lstm(3, ReturnSequences = true)]\npublic partial class Tokens;\n\n[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"tokens\", typeof(Tokens), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\")]\n[MultiHeadAttention(\"mha\", \"decoder\", \"tokens\", numHeads: 0, keyDim: 4)]\npublic partial class Translator;",
            "RNNG078", "0",
            "[MultiHeadAttention] 'mha': numHeads = 0 is not valid; Keras's num_heads counts the attention heads, at least 1.",
            Before: "numHeads: ")
        { ValidModels = 3 },
        new("RNNG078_graph_multi_head_attention_negative_value_dim",
            GraphChains + "[Sequential(Timesteps = 6, InputDim = 3)]\n[Lstm(3, ReturnSequences = true)]\npublic partial class Tokens;\n\n[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"tokens\", typeof(Tokens), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\")]\n[MultiHeadAttention(\"mha\", \"decoder\", \"tokens\", numHeads: 2, keyDim: 4, ValueDim = -3)]\npublic partial class Translator;",
            "RNNG078", "-3",
            "[MultiHeadAttention] 'mha': ValueDim = -3 is not valid; leave it out (or 0) for Keras's default, key_dim.",
            Before: "ValueDim = ")
        { ValidModels = 3 },
        new("RNNG075_graph_initial_state_units_differ",
            "[Sequential(Timesteps = 6, InputDim = 3)]\n[Lstm(4, ReturnState = true)]\npublic partial class Encoder;\n\n[Sequential(Timesteps = 4, InputDim = 2)]\n[Lstm(5, ReturnSequences = true)]\npublic partial class Decoder;\n\n[Graph(\"decoder\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\", InitialState = \"encoder\")]\npublic partial class Translator;",
            "RNNG075", "\"encoder\"",
            "[GraphNode] 'decoder': InitialState = \"encoder\" gives 2 state(s) of 4 (StateH, StateC), but Decoder's recurrent layer starts from 2 of 5 (StateH, StateC); Keras needs the same kind of layer and units.",
            Before: "InitialState = ") { ValidModels = 2 },
        new("RNNG076_graph_output_unknown",
            GraphChains + "[Graph(\"decodr\")]\n[GraphInput(\"encoder_inputs\", Timesteps = 6, InputDim = 3)]\n[GraphInput(\"decoder_inputs\", Timesteps = 4, InputDim = 2)]\n[GraphNode(\"encoder\", typeof(Encoder), \"encoder_inputs\")]\n[GraphNode(\"decoder\", typeof(Decoder), \"decoder_inputs\", InitialState = \"encoder\")]\npublic partial class Translator;",
            "RNNG076", "\"decodr\"",
            "[Graph] on 'Translator': output 'decodr' is no node of the graph (did you mean 'decoder'?).") { ValidModels = 2 },
    };

    public static IEnumerable<object[]> CaseNames => s_cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Mistake_is_reported_on_the_offending_text_with_its_message(string name)
    {
        Case mistake = s_cases.Single(c => c.Name == name);
        GeneratorRun run = mistake.Run();

        Assert.Empty(run.InputProblems()); // the C# is valid: the RNNG diagnostic is the only problem
        ReportedDiagnostic reported = Assert.Single(run.Reported());
        Assert.Equal(mistake.Id, reported.Id);
        Assert.Equal(mistake.Underlined, reported.Underlined);
        if (mistake.Before is string before)
        {
            // The same text occurs elsewhere in the declaration: the span must start at the occurrence after Before.
            string source = Header + mistake.Declaration;
            int at = source.IndexOf(before + mistake.Underlined, StringComparison.Ordinal);
            Assert.True(at >= 0, $"'{before}{mistake.Underlined}' is not in the declaration.");
            Assert.Equal(at + before.Length, Assert.Single(run.GeneratorDiagnostics).Location.SourceSpan.Start);
        }

        Assert.Equal(mistake.Message, reported.Message);
        Assert.Equal(DiagnosticDescriptors.ById(mistake.Id).DefaultSeverity, reported.Severity);

        if (reported.Severity == DiagnosticSeverity.Error)
        {
            // Nothing half-valid is generated (a graph's valid chains are generated as they would be on their own).
            Assert.Equal(mistake.ValidModels, run.Sources.Count);
            Assert.DoesNotContain(run.Sources, s => s.HintName.EndsWith(".RnnGen.Graph.g.cs", StringComparison.Ordinal));
            Assert.Empty(run.CompilationDiagnostics); // and the stand-in members, if any, add no error of their own
        }
        else
        {
            Assert.Single(run.Sources); // a warning still generates a model, and it compiles
            Assert.Empty(run.CompilationDiagnostics);
        }
    }

    [Fact]
    public void Every_diagnostic_of_the_generator_has_a_case()
    {
        // RNNG1xx are analyzers' (RNNG100 tested in RnnGen.Numerics.Tests, RNNG101 in StepWithoutStreamingAnalyzerTests);
        // every other id is the generator's.
        string[] generatorIds = DiagnosticDescriptors.All.Select(d => d.Id).Where(id => !IsAnalyzers(id)).OrderBy(id => id, StringComparer.Ordinal).ToArray();
        string[] tested = s_cases.Select(c => c.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToArray();
        Assert.Equal(generatorIds, tested);
    }

    [Fact]
    public void Several_mistakes_are_all_reported_in_one_build()
    {
        GeneratorRun run = CompilationHarness.Run(Header + """
            [Sequential(Timesteps = 4, InputDim = 5)]
            [Lstm(3, Activation = "rleu", KernelInitializer = "constant(1, 2)")]
            [Lstm(-2, Bidirectional = true, GoBackwards = true, ReturnState = true)]
            [Dense(2, Activation = "softmaxx")]
            [Dropout(-1)]
            public class Broken;
            """);

        Assert.Equal(
            new[]
            {
                ("RNNG001", "Broken"), ("RNNG007", "\"rleu\""), ("RNNG009", "\"constant(1, 2)\""), ("RNNG004", "-2"),
                ("RNNG010", "true"),
                // Layer 1 has errors but still declares that it returns no sequence, which layer 2 needs.
                ("RNNG012", "Lstm(-2, Bidirectional = true, GoBackwards = true, ReturnState = true)"),
                ("RNNG014", "true"), ("RNNG007", "\"softmaxx\""), ("RNNG015", "-1"),
            },
            run.Reported().Select(d => (d.Id, d.Underlined)).ToArray());
        Assert.Empty(run.Sources);
    }

    [Theory]
    // A layer with its own error still passes on what it declares: ReturnSequences...
    [InlineData("[Lstm(3, Activation = \"rleu\")]\n[Lstm(2)]",
        "RNNG007 on \"rleu\"", "RNNG012 on Lstm(2): Layer 2 (Lstm) needs a sequence, but layer 1 (Lstm) returns only its last output: set ReturnSequences = true on layer 1.")]
    [InlineData("[Lstm(0)]\n[Lstm(2)]",
        "RNNG004 on 0", "RNNG012 on Lstm(2): Layer 2 (Lstm) needs a sequence, but layer 1 (Lstm) returns only its last output: set ReturnSequences = true on layer 1.")]
    // ...and the width its units give, so the next layer is checked against it and not against the model input.
    [InlineData("[Lstm(3, ReturnSequences = true, Activation = \"rleu\")]\n[Lstm(2, InputDim = 3)]",
        "RNNG007 on \"rleu\"")]
    [InlineData("[Lstm(3, ReturnSequences = true, Activation = \"rleu\")]\n[Lstm(2, InputDim = 5)]",
        "RNNG007 on \"rleu\"", "RNNG013 on 5: Layer 2 (Lstm) declares InputDim = 5, but its input has InputDim = 3 (the output of layer 1 (Lstm)): remove InputDim from layer 2, or make them agree.")]
    [InlineData("[Lstm(3, ReturnSequences = true, Bidirectional = true, Activation = \"rleu\")]\n[Lstm(2, InputDim = 6)]",
        "RNNG007 on \"rleu\"")]
    [InlineData("[Lstm(3, ReturnSequences = true, Bidirectional = true, MergeMode = MergeMode.Sum, Activation = \"rleu\")]\n[Lstm(2, InputDim = 6)]",
        "RNNG007 on \"rleu\"", "RNNG013 on 6: Layer 2 (Lstm) declares InputDim = 6, but its input has InputDim = 3 (the output of layer 1 (Lstm)): remove InputDim from layer 2, or make them agree.")]
    [InlineData("[Lstm(3, ReturnSequences = true)]\n[Dense(4, Activation = \"banana\")]\n[Lstm(2, InputDim = 3)]",
        "RNNG007 on \"banana\"", "RNNG013 on 3: Layer 3 (Lstm) declares InputDim = 3, but its input has InputDim = 4 (the output of layer 2 (Dense)): remove InputDim from layer 3, or make them agree.")]
    [InlineData("[Lstm(3)]\n[Dense(4, Activation = \"banana\")]\n[Gru(2)]",
        "RNNG007 on \"banana\"", "RNNG012 on Gru(2): Layer 3 (Gru) needs a sequence, but layer 1 (Lstm) returns only its last output, and the layer in between (Dense) keeps it without a time axis: set ReturnSequences = true on layer 1.")]
    // Bad units leave the width unknown: the next layer's InputDim is not compared with a width from further back.
    [InlineData("[Lstm(0, ReturnSequences = true)]\n[Lstm(2, InputDim = 7)]",
        "RNNG004 on 0")]
    [InlineData("[Lstm(3, ReturnSequences = true)]\n[Dense(0)]\n[Lstm(2, InputDim = 7)]",
        "RNNG004 on 0")]
    public void A_layer_with_errors_still_passes_on_the_shape_it_declares(string layers, params string[] expected)
    {
        GeneratorRun run = CompilationHarness.Run(Header + "[Sequential(Timesteps = 4, InputDim = 5)]\n" + layers + "\npublic partial class Encoder;");

        Assert.Empty(run.InputProblems());
        Assert.Equal(expected, run.Reported().Select(d => d.Id == "RNNG012" || d.Id == "RNNG013" ? $"{d.Id} on {d.Underlined}: {d.Message}" : $"{d.Id} on {d.Underlined}").ToArray());
        Assert.Empty(run.Sources);
    }

    [Theory]
    // ReturnSequences = 1 and Bidirectional = 1 are the compiler's errors (CS0029): what the layer returns is then
    // unknown, not the property's default, and the next layer is not checked against a guess.
    [InlineData("[Lstm(0, ReturnSequences = 1)]\n[Lstm(2)]", "RNNG004", "0")]
    [InlineData("[Lstm(3, ReturnSequences = true, Bidirectional = 1, Activation = \"rleu\")]\n[Lstm(2, InputDim = 6)]", "RNNG007", "\"rleu\"")]
    public void An_argument_that_did_not_compile_leaves_the_next_layer_unchecked(string layers, string id, string underlined)
    {
        GeneratorRun run = CompilationHarness.Run(Header + "[Sequential(Timesteps = 4, InputDim = 5)]\n" + layers + "\npublic partial class Encoder;");

        Assert.Contains(run.InputProblems(), d => d.Id == "CS0029");
        Assert.Equal(new[] { (id, underlined) }, run.Reported().Select(d => (d.Id, d.Underlined)).ToArray());
    }

    [Fact]
    public void A_bad_model_input_shape_does_not_stop_the_checks_between_layers()
    {
        // Timesteps is missing; the InputDim layer 2 restates still contradicts layer 1's output, and is reported.
        GeneratorRun run = CompilationHarness.Run(Header + "[Sequential(InputDim = 5)]\n[Lstm(3, ReturnSequences = true)]\n[Lstm(2, InputDim = 4, Timesteps = 9)]\npublic partial class Encoder;");

        Assert.Equal(
            new[] { ("RNNG005", "Sequential(InputDim = 5)"), ("RNNG013", "4") },
            run.Reported().Select(d => (d.Id, d.Underlined)).ToArray());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Several_layers_without_Sequential_are_all_named_in_each_report()
    {
        GeneratorRun run = CompilationHarness.Run(Header + "[Lstm(3, Timesteps = 4, InputDim = 5, ReturnSequences = true)]\n[Gru(2)]\n[Dense(1)]\npublic partial class Encoder;");

        const string Message = "'Encoder' has 3 layer attributes, [Lstm] (layer 1), [Gru] (layer 2) and [Dense] (layer 3), but no [Sequential]: add [Sequential] before them to declare a stack, or keep a single layer attribute.";
        Assert.Equal(
            new[] { ("RNNG011", "Gru(2)", Message), ("RNNG011", "Dense(1)", Message) },
            run.Reported().Select(d => (d.Id, d.Underlined, d.Message)).ToArray());
    }

    [Fact]
    public void Shape_errors_point_at_the_attribute_that_declares_the_shape()
    {
        // Missing on [Sequential] and on the first layer: the [Sequential] attribute is where to add them.
        GeneratorRun run = CompilationHarness.Run(Header + "[Sequential]\n[Gru(4)]\npublic partial class Model;");
        Assert.Equal(
            new[] { ("RNNG005", "Sequential"), ("RNNG006", "Sequential") },
            run.Reported().Select(d => (d.Id, d.Underlined)).ToArray());

        // Declared on the first layer instead of [Sequential]: accepted, as Keras accepts input_shape on the first layer.
        GeneratorRun onLayer = CompilationHarness.Run(Header + "[Sequential]\n[Gru(4, Timesteps = 3, InputDim = 2)]\n[Dense(1)]\npublic partial class Model;");
        Assert.Empty(onLayer.Reported());
        Assert.Empty(onLayer.CompilationDiagnostics);
    }

    [Fact]
    public void Diagnostics_appear_in_the_file_of_the_declaration()
    {
        GeneratorRun run = CompilationHarness.Run(
            Header + "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class Fine;",
            Header + "\n\n[Lstm(3, Timesteps = 0, InputDim = 5)]\npublic partial class Broken;");
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.Equal("Source1.cs", span.Path);
        Assert.Equal(5, span.StartLinePosition.Line); // 0-based: the attribute line after the header and blank lines
        Assert.Equal("[Lstm(3, Timesteps = ".Length, span.StartLinePosition.Character);
        Assert.Single(run.Sources); // the valid model in the other file is still generated
    }

    /// <summary>Declarations no one should write: each must produce an error (the compiler's or ours), never a crash.</summary>
    private static readonly string[] s_garbage =
    {
        "[Lstm]\npublic partial class A;",
        "[Lstm()]\npublic partial class A;",
        "[Lstm(\"3\", Timesteps = 2, InputDim = 5)]\npublic partial class A;",
        "[Lstm(3.5, Timesteps = 2, InputDim = 5)]\npublic partial class A;",
        "[Lstm(3, 4)]\npublic partial class A;",
        "[Lstm(default)]\npublic partial class A;",
        "[Lstm(3, Timesteps = \"x\", InputDim = 5, Activation = 5, UseBias = 1, MergeMode = 2)]\npublic partial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5, Foo = 1)]\npublic partial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5, Activation = typeof(int))]\npublic partial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5, UseBias = null)]\npublic partial class A;",
        "[Lstm(int.MinValue, Timesteps = int.MaxValue, InputDim = -5)]\npublic partial class A;",
        "[Lstm(int.MaxValue, Timesteps = int.MaxValue, InputDim = int.MaxValue)]\npublic partial class A;",
        "[Lstm(1, Timesteps = 1 << 30, InputDim = 1)]\npublic partial class A;",
        "[Lstm(1, Timesteps = 1048576, InputDim = 65536)]\npublic partial class A;",
        "[Lstm(65536, Timesteps = 1, InputDim = 65536)]\npublic partial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5, KernelInitializer = null)]\npublic partial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5, Activation = \"\", RecurrentActivation = \"  \", KernelInitializer = \"\", RecurrentInitializer = \"(\", BiasInitializer = \")\")]\npublic partial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5, KernelInitializer = \"constant(1\", RecurrentInitializer = \"random_uniform(1, -1)\", BiasInitializer = \"constant(1e400)\")]\npublic partial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5, KernelInitializer = \"constant(NaN)\", RecurrentInitializer = \"random_normal(0, -1)\", BiasInitializer = \"orthogonal(2, 3)\")]\npublic partial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5, KernelInitializer = \"constant(1,,2)\", RecurrentInitializer = \"((\", BiasInitializer = \"zeros)(\")]\npublic partial class A;",
        "[Gru(3, Timesteps = 2, InputDim = 5, RecurrentActivation = \"\\0\\u00e9\\ud83d\\ude00\", Activation = \"sigmoid sigmoid\")]\npublic partial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5, Dropout = double.PositiveInfinity, RecurrentDropout = double.NaN)]\npublic partial class A;",
        "[Gru(3, Timesteps = 2, InputDim = 5, Bidirectional = true, MergeMode = (MergeMode)(-1))]\npublic partial class A;",
        "[Sequential(5)]\n[Lstm(3)]\npublic partial class A;",
        "[Sequential(Timesteps = 2, InputDim = 5)]\n[Sequential(Timesteps = 2, InputDim = 5)]\n[Lstm(3)]\npublic partial class A;",
        "[Sequential(Timesteps = 2, InputDim = 2)]\n[Dense(int.MaxValue)]\npublic partial class A;",
        "[Sequential(Timesteps = 2, InputDim = 2)]\n[Dropout(\"x\")]\n[Dense(1)]\npublic partial class A;",
        "[Sequential]\npublic partial class A;",
        "[Sequential(Timesteps = -2, InputDim = 0)]\n[Dropout(2)]\n[Dropout(-2)]\npublic partial class A;",
        "[Sequential(Timesteps = 2, InputDim = 5)]\n[Lstm(3, Timesteps = -1, Activation = \"xx\", KernelInitializer = \"yy\")]\n[Lstm(-2, Bidirectional = true, GoBackwards = true, ReturnState = true)]\n[Dense(0, Activation = \"softmaxx\")]\n[Dropout(-1)]\n[Gru(3, ResetAfter = false, RecurrentActivation = \"zz\")]\npublic partial class A;",
        "[Dense(1)]\n[Lstm(3, Timesteps = 2, InputDim = 5)]\n[Dropout(0.1)]\npublic partial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic partial struct S;",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic partial record struct S;",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic readonly partial record struct S(int X);",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic partial interface I;",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic enum E { X }",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic delegate void D();",
        "public partial class C\n{\n    [Lstm(3, Timesteps = 2, InputDim = 5)]\n    public void M() { }\n}",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic record R;",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic partial record R<T>;",
        "public record Outer\n{\n    [Lstm(3, Timesteps = 2, InputDim = 5)]\n    public partial record Inner;\n}",
        "public partial struct Outer<T>\n{\n    public struct Middle\n    {\n        [Gru(3, Timesteps = 2, InputDim = 5)]\n        public partial class Inner;\n    }\n}",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic partial class A<T> where T : struct;",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic static partial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic partial class ;",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npublic partial class A : A;",
        "[Lstm(3, Timesteps = 2, InputDim = 5)]\npartial class A;\n[Gru(3, Timesteps = 2, InputDim = 5)]\npartial class A;\n[Sequential]\npartial class A;",
        "[Lstm(3, Timesteps = 2, InputDim = ",
        "[Lstmm(3)]\npublic partial class A;",
    };

    [Fact]
    public void Garbage_in_gives_errors_and_never_crashes_the_generator()
    {
        foreach (string declaration in s_garbage)
        {
            GeneratorRun run = CompilationHarness.Run(Header + declaration);
            Assert.True(run.GeneratorFailures().Count == 0, $"The generator threw on\n{declaration}\n{string.Join("\n", run.GeneratorFailures())}");
            bool reported = run.GeneratorDiagnostics.Concat(run.Output.GetDiagnostics()).Any(d => d.Severity == DiagnosticSeverity.Error);
            Assert.True(reported, $"No error for\n{declaration}");

            // When the generator reports an error it generates nothing, so its own output never adds errors.
            if (run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                Assert.Empty(run.Sources);
            }
        }
    }

    [Fact]
    public void Garbage_in_one_compilation_is_reported_per_class()
    {
        // All of it at once, as in a real project: one bad class must not stop the others being checked or generated.
        string[] sources = s_garbage.Where(g => !g.EndsWith("= ", StringComparison.Ordinal))
            .Select((g, i) => Header.Replace("namespace Demo;", $"namespace Demo{i};") + g)
            .Append(Header + "[Lstm(3, Timesteps = 4, InputDim = 5)]\npublic partial class StillGenerated;")
            .ToArray();
        GeneratorRun run = CompilationHarness.Run(sources);
        Assert.Empty(run.GeneratorFailures());
        Assert.Contains(run.Sources, s => s.HintName == "Demo.StillGenerated.RnnGen.g.cs");
        Assert.True(run.GeneratorDiagnostics.Length >= 20, $"Only {run.GeneratorDiagnostics.Length} diagnostics.");
    }

    [Fact]
    public void Release_tracking_file_lists_every_diagnostic()
    {
        // generators/RnnGen.Generators/AnalyzerReleases.Unshipped.md, the Roslyn release-tracking table.
        string[] rows = File.ReadAllLines(RepositoryFile("generators", "RnnGen.Generators", "AnalyzerReleases.Unshipped.md"))
            .Where(line => line.StartsWith("RNNG", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(
            DiagnosticDescriptors.All.Select(d => $"{d.Id} | {d.Category} | {d.DefaultSeverity} | {d.Title}").OrderBy(r => r, StringComparer.Ordinal),
            rows.Select(r => r.Trim()).OrderBy(r => r, StringComparer.Ordinal));
    }

    [Fact]
    public void Documentation_has_a_row_per_diagnostic_with_a_tested_message()
    {
        string[] lines = File.ReadAllLines(RepositoryFile("docs", "diagnostics.md"));
        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.All)
        {
            // Each row carries the anchor the descriptor's help link points at.
            string anchor = descriptor.Id.ToLowerInvariant();
            Assert.Equal("docs/diagnostics.md#" + anchor, descriptor.HelpLinkUri);
            string row = Assert.Single(lines, line => line.StartsWith($"| <a id=\"{anchor}\"></a>{descriptor.Id} |", StringComparison.Ordinal));
            Assert.StartsWith($"| <a id=\"{anchor}\"></a>{descriptor.Id} | {descriptor.DefaultSeverity} | {descriptor.Title} |", row);
            if (!IsAnalyzers(descriptor.Id))
            {
                // The message shown is one the tests above check word for word.
                Assert.Contains(s_cases.Where(c => c.Id == descriptor.Id), c => row.Contains(c.Message, StringComparison.Ordinal));
            }
        }
    }

    private static bool IsAnalyzers(string id) => id.StartsWith("RNNG1", StringComparison.Ordinal);

    private static string RepositoryFile(string first, params string[] rest) =>
        Path.Combine(new[] { Path.GetDirectoryName(ThisFile())!, "..", "..", first }.Concat(rest).ToArray());

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    [Fact]
    public Task Messages_snapshot()
    {
        // The messages side by side, to review their wording together (the theory above checks each one).
        var text = new StringBuilder();
        foreach (Case mistake in s_cases)
        {
            GeneratorRun run = mistake.Run();
            run.AssertRerunIsCached(TrackingNames.Diagnostics);
            text.Append("## ").AppendLine(mistake.Name);
            foreach (string line in mistake.Declaration.Split('\n'))
            {
                text.Append("    ").AppendLine(line);
            }

            foreach (ReportedDiagnostic reported in run.Reported())
            {
                text.AppendLine(reported.ToString());
            }

            text.AppendLine();
        }

        return Snapshot.Verify(text.ToString());
    }
}
