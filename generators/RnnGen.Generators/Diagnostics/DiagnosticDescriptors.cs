using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace RnnGen.Generators.Diagnostics;

/// <summary>
/// Every diagnostic RnnGen reports. Each has a line in AnalyzerReleases.Unshipped.md, a row in docs/diagnostics.md and
/// a test of its id, span and message. Messages name the layer (by position and kind), the argument, the value found
/// and what was expected, and say how to fix it.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "RnnGen";

    /// <summary>
    /// Where each diagnostic is explained: its row in docs/diagnostics.md, whose anchor is the lower-case id. Relative to
    /// the repository root, since the project has no public URL yet; only this line changes when it has one.
    /// </summary>
    private const string HelpDocument = "docs/diagnostics.md";

    /// <summary>The help link of diagnostic <paramref name="id"/>: <c>docs/diagnostics.md#rnng001</c>.</summary>
    public static string HelpLink(string id) => HelpDocument + "#" + id.ToLowerInvariant();

    /// <summary>RNNG001: "'{0}' must be declared partial: RnnGen adds the generated layer code to it. Write 'partial class {0}'."</summary>
    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        "RNNG001", "Model class must be partial",
        "'{0}' must be declared partial: RnnGen adds the generated layer code to it. Write 'partial {1} {0}'.");

    /// <summary>RNNG002: "'{0}' is nested in '{1}', which is not partial: make every containing type partial so RnnGen can add code to '{0}'."</summary>
    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        "RNNG002", "Containing type must be partial",
        "'{0}' is nested in '{1}', which is not partial: make every containing type partial so RnnGen can add code to '{0}'.");

    /// <summary>RNNG003: "'{0}' is {1}: an RnnGen model must be a plain partial class (not generic, static, a record or file-local), because its shapes are fixed and it owns its weights."</summary>
    public static readonly DiagnosticDescriptor UnsupportedClass = Error(
        "RNNG003", "Model class must be a plain class",
        "'{0}' is {1}: an RnnGen model must be a plain partial class (not generic, static, a record or file-local), because its shapes are fixed and it owns its weights.");

    /// <summary>RNNG004: "Layer {0} ({1}): units must be a positive number, but it is {2}."</summary>
    public static readonly DiagnosticDescriptor InvalidUnits = Error(
        "RNNG004", "Units must be positive",
        "Layer {0} ({1}): units must be a positive number, but it is {2}.");

    /// <summary>RNNG005: "{0}: Timesteps {1}; set Timesteps to the number of timesteps of the input (Keras input_shape[0]), e.g. Timesteps = 10."</summary>
    public static readonly DiagnosticDescriptor InvalidTimesteps = Error(
        "RNNG005", "Timesteps missing or not positive",
        "{0}: Timesteps {1}; set Timesteps to the number of timesteps of the input (Keras input_shape[0]), e.g. Timesteps = 10.");

    /// <summary>RNNG006: "{0}: InputDim {1}; set InputDim to the number of features per timestep (Keras input_shape[1]), e.g. InputDim = 8."</summary>
    public static readonly DiagnosticDescriptor InvalidInputDim = Error(
        "RNNG006", "InputDim missing or not positive",
        "{0}: InputDim {1}; set InputDim to the number of features per timestep (Keras input_shape[1]), e.g. InputDim = 8.");

    /// <summary>RNNG007: "Layer {0} ({1}): {2} '{3}' is not a Keras activation RnnGen knows.{4} Valid names: {5}." ({4} is " Did you mean 'relu'?" or empty.)</summary>
    public static readonly DiagnosticDescriptor UnknownActivation = Error(
        "RNNG007", "Unknown activation",
        "Layer {0} ({1}): {2} '{3}' is not a Keras activation RnnGen knows.{4} Valid names: {5}.");

    /// <summary>RNNG008: "Layer {0} ({1}): {2} '{3}' is not a Keras initializer.{4} Valid names: {5}." ({4} is " Did you mean 'zeros'?" or empty.)</summary>
    public static readonly DiagnosticDescriptor UnknownInitializer = Error(
        "RNNG008", "Unknown initializer",
        "Layer {0} ({1}): {2} '{3}' is not a Keras initializer.{4} Valid names: {5}.");

    /// <summary>RNNG009: "Layer {0} ({1}): {2} is malformed: {3}."</summary>
    public static readonly DiagnosticDescriptor MalformedInitializer = Error(
        "RNNG009", "Malformed initializer arguments",
        "Layer {0} ({1}): {2} is malformed: {3}.");

    /// <summary>RNNG010: "Layer {0} ({1}): Bidirectional cannot wrap a layer with GoBackwards = true: ..."</summary>
    public static readonly DiagnosticDescriptor BidirectionalGoBackwards = Error(
        "RNNG010", "Bidirectional over a GoBackwards layer",
        "Layer {0} ({1}): Bidirectional cannot wrap a layer with GoBackwards = true: its backward copy already reads the sequence in reverse, and Keras 3 rejects the pair ('Forward layer and backward layer should have different go_backwards value'). Remove GoBackwards.");

    /// <summary>RNNG011: "'{0}' has {1} layer attributes, {2}, but no [Sequential]: add [Sequential] before them to declare a stack, or keep a single layer attribute." ({2} is "[Lstm] (layer 1) and [Dense] (layer 2)".)</summary>
    public static readonly DiagnosticDescriptor LayersWithoutSequential = Error(
        "RNNG011", "Several layers without [Sequential]",
        "'{0}' has {1} layer attributes, {2}, but no [Sequential]: add [Sequential] before them to declare a stack, or keep a single layer attribute.");

    /// <summary>RNNG012: "Layer {0} ({1}) needs a sequence, but layer {2} ({3}) returns only its last output{4}: set ReturnSequences = true on layer {2}." ({2} is the last recurrent layer before it; {4} is empty or ", and the layers in between (Dropout, Dense) keep it without a time axis".)</summary>
    public static readonly DiagnosticDescriptor RecurrentLayerWithoutSequence = Error(
        "RNNG012", "Recurrent layer after a layer that returns no sequence",
        "Layer {0} ({1}) needs a sequence, but layer {2} ({3}) returns only its last output{4}: set ReturnSequences = true on layer {2}.");

    /// <summary>RNNG013: "Layer {0} ({1}) declares {2} = {3}, but its input has {2} = {4} ({5}): remove {2} from layer {0}, or make them agree."</summary>
    public static readonly DiagnosticDescriptor ContradictingShape = Error(
        "RNNG013", "Declared shape contradicts the inferred one",
        "Layer {0} ({1}) declares {2} = {3}, but its input has {2} = {4} ({5}): remove {2} from layer {0}, or make them agree.");

    /// <summary>RNNG014: "Layer {0} ({1}) sets {2} but is not the last layer: a stack passes one tensor to layer {3} ({4}). Move {2} to the last layer or remove it."</summary>
    public static readonly DiagnosticDescriptor MultipleOutputsInStack = Error(
        "RNNG014", "State outputs or unmerged outputs in the middle of a stack",
        "Layer {0} ({1}) sets {2} but is not the last layer: a stack passes one tensor to layer {3} ({4}). Move {2} to the last layer or remove it.");

    /// <summary>RNNG015: "Layer {0} ({1}): {2} = {3} is outside [0, 1); Keras requires 0 &lt;= rate &lt; 1."</summary>
    public static readonly DiagnosticDescriptor DropoutRateOutOfRange = Error(
        "RNNG015", "Dropout rate outside [0, 1)",
        "Layer {0} ({1}): {2} = {3} is outside [0, 1); Keras requires 0 <= rate < 1.");

    /// <summary>RNNG016: "'{0}' declares layer attributes on more than one partial declaration: put [Sequential] and all layer attributes on one declaration, where their order is the layer order."</summary>
    public static readonly DiagnosticDescriptor AttributesOnSeveralDeclarations = Error(
        "RNNG016", "Layer attributes on several partial declarations",
        "'{0}' declares layer attributes on more than one partial declaration: put [Sequential] and all layer attributes on one declaration, where their order is the layer order.");

    /// <summary>RNNG017: "Layer {0} ({1}): {2} '{3}' is not allowed here: {4}."</summary>
    public static readonly DiagnosticDescriptor OptionValueNotAllowed = Error(
        "RNNG017", "Activation or option not allowed on this layer",
        "Layer {0} ({1}): {2} '{3}' is not allowed here: {4}.");

    /// <summary>RNNG018: "'{0}' declares [{1}] without [Sequential]: the layer needs a stack; add [Sequential(Timesteps = ..., InputDim = ...)] before the layer attributes."</summary>
    public static readonly DiagnosticDescriptor LayerNeedsSequential = Error(
        "RNNG018", "Layer needs [Sequential]",
        "'{0}' declares [{1}] without [Sequential]: the layer needs a stack; add [Sequential(Timesteps = ..., InputDim = ...)] before the layer attributes.");

    /// <summary>RNNG019: "'{0}' has [Sequential] but {1}: add at least one SimpleRnn, Lstm, Gru or Dense layer attribute after it."</summary>
    public static readonly DiagnosticDescriptor EmptySequential = Error(
        "RNNG019", "Sequential without layers",
        "'{0}' has [Sequential] but {1}: add at least one SimpleRnn, Lstm, Gru or Dense layer attribute after it.");

    /// <summary>RNNG020: "Layer {0} ({1}): MergeMode has no effect without Bidirectional = true; set Bidirectional = true or remove MergeMode"</summary>
    public static readonly DiagnosticDescriptor MergeModeWithoutBidirectional = Warning(
        "RNNG020", "MergeMode without Bidirectional",
        "Layer {0} ({1}): MergeMode has no effect without Bidirectional = true; set Bidirectional = true or remove MergeMode");

    /// <summary>RNNG021: "{0}: {1} is too large ({2}); RnnGen supports at most {3}."</summary>
    public static readonly DiagnosticDescriptor SizeTooLarge = Error(
        "RNNG021", "Declared size too large",
        "{0}: {1} is too large ({2}); RnnGen supports at most {3}.");

    /// <summary>RNNG022: "'{0}' is also the name of a member RnnGen generates in this model ({1}); rename the class."</summary>
    public static readonly DiagnosticDescriptor NameClashesWithGeneratedMember = Error(
        "RNNG022", "Class name clashes with a generated member",
        "'{0}' is also the name of a member RnnGen generates in this model ({1}); rename the class.");

    /// <summary>RNNG023: "'{0}' has a primary constructor; RnnGen adds the constructors {0}() and {0}(int seed), which a primary constructor would have to call. Remove the parameter list and use fields or properties."</summary>
    public static readonly DiagnosticDescriptor PrimaryConstructor = Error(
        "RNNG023", "Model class has a primary constructor",
        "'{0}' has a primary constructor; RnnGen adds the constructors {0}() and {0}(int seed), which a primary constructor would have to call. Remove the parameter list and use fields or properties.");

    /// <summary>RNNG024: "{0} '{1}' clashes with {2} in the code RnnGen generates for '{3}': {4}." ({0} "Field", {1} "Units", {2} "the public constant 'Units'", {4} "rename the field".)</summary>
    public static readonly DiagnosticDescriptor MemberClashesWithGeneratedMember = Error(
        "RNNG024", "Member clashes with a generated member",
        "{0} '{1}' clashes with {2} in the code RnnGen generates for '{3}': {4}.");

    /// <summary>RNNG055: "Layer {0} ({1}): {2} = {3} is not a finite number; every value of the layer's output would be infinite or NaN." ({2} "Scale" or "Offset")</summary>
    public static readonly DiagnosticDescriptor RescalingNotFinite = Error(
        "RNNG055", "Rescaling scale or offset not finite",
        "Layer {0} ({1}): {2} = {3} is not a finite number; every value of the layer's output would be infinite or NaN.");

    /// <summary>RNNG050: "Layer {0} (Masking) comes after layer {1} ({2}); RnnGen computes Masking's mask from the model input, so [Masking] must be the first layer: move it to the top of the stack, as Keras models put it." </summary>
    public static readonly DiagnosticDescriptor MaskingNotFirst = Error(
        "RNNG050", "Masking is not the first layer",
        "Layer {0} (Masking) comes after layer {1} ({2}); RnnGen computes Masking's mask from the model input, so [Masking] must be the first layer: move it to the top of the stack, as Keras models put it.");
    /// <summary>RNNG051: "Layer {0} (Embedding) comes after layer {1} ({2}); an Embedding reads the model's integer tokens, so [Embedding] must be the first layer, as in Keras text models."</summary>
    public static readonly DiagnosticDescriptor EmbeddingNotFirst = Error(
        "RNNG051", "Embedding is not the first layer",
        "Layer {0} (Embedding) comes after layer {1} ({2}); an Embedding reads the model's integer tokens, so [Embedding] must be the first layer, as in Keras text models.");

    /// <summary>RNNG052: "Layer {0} (Embedding): {1} is {2}; it must be from 1 to {3}." ({1} "inputDim" or "outputDim")</summary>
    public static readonly DiagnosticDescriptor InvalidEmbeddingSize = Error(
        "RNNG052", "Embedding size out of range",
        "Layer {0} (Embedding): {1} is {2}; it must be from 1 to {3}.");

    /// <summary>RNNG053: "{0} declares InputDim = {1}, but layer 1 is an Embedding, whose input is one integer token per timestep (Keras input shape (batch, Timesteps)): leave InputDim out, or declare 1."</summary>
    public static readonly DiagnosticDescriptor EmbeddingInputDim = Error(
        "RNNG053", "InputDim with an Embedding first",
        "{0} declares InputDim = {1}, but layer 1 is an Embedding, whose input is one integer token per timestep (Keras input shape (batch, Timesteps)): leave InputDim out, or declare 1.");

    /// <summary>RNNG056: "Layer {0} ({1}) needs a sequence, but layer {2} ({3}) has pooled the time axis away{4}: {5}." ({5}: "remove one of the two pooling layers")</summary>
    public static readonly DiagnosticDescriptor SequenceAfterGlobalPooling = Error(
        "RNNG056", "Layer after a global pooling layer needs a sequence",
        "Layer {0} ({1}) needs a sequence, but layer {2} ({3}) has pooled the time axis away{4}: {5}.");

    /// <summary>RNNG057: "Layer {0} ({1}): {2} is {3}; it must be from 1 to {4}." ({2}: filters, kernelSize, poolSize, Strides, DilationRate, Groups, RepeatVector's n or a Reshape size)</summary>
    public static readonly DiagnosticDescriptor WindowSizeOutOfRange = Error(
        "RNNG057", "Convolution, pooling or reshape size out of range",
        "Layer {0} ({1}): {2} is {3}; it must be from 1 to {4}.");

    /// <summary>RNNG058: "Layer {0} ({1}): Padding = \"{2}\" is not a Keras padding of this layer; use {3}.{4}"</summary>
    public static readonly DiagnosticDescriptor UnknownPadding = Error(
        "RNNG058", "Unknown padding",
        "Layer {0} ({1}): Padding = \"{2}\" is not a Keras padding of this layer; use {3}.{4}");

    /// <summary>RNNG059: "Layer {0} ({1}) reads sequences of {2} timesteps, shorter than one window of {3}: with Padding = \"valid\" no output timestep would remain (Keras rejects the layer). Use Padding = \"same\", a smaller window or longer sequences."</summary>
    public static readonly DiagnosticDescriptor SequenceShorterThanWindow = Error(
        "RNNG059", "Sequence shorter than the window",
        "Layer {0} ({1}) reads sequences of {2} timesteps, shorter than one window of {3}: with Padding = \"valid\" no output timestep would remain (Keras rejects the layer). Use Padding = \"same\", a smaller window or longer sequences.");

    /// <summary>RNNG060: "Layer {0} (Conv1D): Groups = {1} must divide both the {2} input features and the {3} filters, as Keras requires, but {4}."</summary>
    public static readonly DiagnosticDescriptor GroupsDoNotDivide = Error(
        "RNNG060", "Conv1D groups do not divide the features",
        "Layer {0} (Conv1D): Groups = {1} must divide both the {2} input features and the {3} filters, as Keras requires, but {4}.");

    /// <summary>RNNG061: "Layer {0} (Conv1D): Strides = {1} with DilationRate = {2}; Keras allows a dilation above 1 only with Strides = 1."</summary>
    public static readonly DiagnosticDescriptor StridesWithDilation = Error(
        "RNNG061", "Conv1D strides with dilation",
        "Layer {0} (Conv1D): Strides = {1} with DilationRate = {2}; Keras allows a dilation above 1 only with Strides = 1.");

    /// <summary>RNNG062: "Layer {0} ({1}) comes after layer 1 ({2}), which masks timesteps, but Keras's {1} does not support masking (its output timesteps are not its input's), so RnnGen does not generate the pair: {3}, or remove layer {0}."</summary>
    public static readonly DiagnosticDescriptor TimeWindowAfterMask = Error(
        "RNNG062", "Convolution, pooling or reshaping after a mask",
        "Layer {0} ({1}) comes after layer 1 ({2}), which masks timesteps, but Keras's {1} does not support masking (its output timesteps are not its input's), so RnnGen does not generate the pair: {3}, or remove layer {0}.");

    /// <summary>RNNG063: "Layer {0} ({1}) needs {2}, but {3}: {4}." (RepeatVector after a sequence; a layer that needs a sequence after Flatten or a Reshape to a vector)</summary>
    public static readonly DiagnosticDescriptor WrongRankForLayer = Error(
        "RNNG063", "Layer needs a vector or a sequence",
        "Layer {0} ({1}) needs {2}, but {3}: {4}.");

    /// <summary>RNNG064: "Layer {0} (Reshape): the target shape {1} cannot hold the {2} values of its input {3}: {4}."</summary>
    public static readonly DiagnosticDescriptor ReshapeDoesNotFit = Error(
        "RNNG064", "Reshape target does not fit the input",
        "Layer {0} (Reshape): the target shape {1} cannot hold the {2} values of its input {3}: {4}.");

    /// <summary>RNNG040: "'{0}' is not a KerasModel item of this project: add &lt;KerasModel Include="{0}" /&gt; to the project file, so that the build reads the file (the generator reads no files itself)."</summary>
    public static readonly DiagnosticDescriptor KerasModelNotInBuild = Error(
        "RNNG040", "Keras file not in the build",
        "'{0}' is not a KerasModel item of this project: add <KerasModel Include=\"{0}\" /> to the project file, so that the build reads the file (the generator reads no files itself).");

    /// <summary>RNNG041: "'{0}' cannot be used as a Keras model: {1}" ({1}: the reader's reason: not found, not a Keras file, weights only)</summary>
    public static readonly DiagnosticDescriptor KerasModelUnreadable = Error(
        "RNNG041", "Keras file cannot be read",
        "'{0}' cannot be used as a Keras model: {1}");

    /// <summary>RNNG042: "'{0}' has a layer RnnGen does not compile: {1}" ({1}: the layer's name and class, and what to do)</summary>
    public static readonly DiagnosticDescriptor KerasModelUnsupportedLayer = Error(
        "RNNG042", "Keras layer not supported",
        "'{0}' has a layer RnnGen does not compile: {1}");

    /// <summary>RNNG043: "'{0}' {1}: set the length the model will be fed on the attribute, as in [KerasModel("{0}", Timesteps = 40)]; RNN weights fit any length."</summary>
    public static readonly DiagnosticDescriptor KerasModelOpenTimesteps = Error(
        "RNNG043", "Keras model has no fixed timestep count",
        "'{0}' {1}: set the length the model will be fed on the attribute, as in [KerasModel(\"{0}\", Timesteps = 40)]; RNN weights fit any length.");

    /// <summary>RNNG044: "The weights of '{0}' do not fit its configuration: {1}" ({1}: the load's report, layer by layer)</summary>
    public static readonly DiagnosticDescriptor KerasModelWeightsContradictConfig = Error(
        "RNNG044", "Keras weights contradict the configuration",
        "The weights of '{0}' do not fit its configuration: {1}");

    /// <summary>RNNG045: "'{0}' is declared by [KerasModel], so it cannot also carry layer attributes ({1}): remove them, or remove [KerasModel] and declare the model by hand."</summary>
    public static readonly DiagnosticDescriptor KerasModelWithLayerAttributes = Error(
        "RNNG045", "[KerasModel] with layer attributes",
        "'{0}' is declared by [KerasModel], so it cannot also carry layer attributes ({1}): remove them, or remove [KerasModel] and declare the model by hand.");

    /// <summary>RNNG046: "The build's description of '{0}' is not one this generator reads ({1}): rebuild; if it stays, the RnnGen build files and generator come from different versions."</summary>
    public static readonly DiagnosticDescriptor KerasModelDescriptionUnreadable = Error(
        "RNNG046", "Keras model description unreadable",
        "The build's description of '{0}' is not one this generator reads ({1}): rebuild; if it stays, the RnnGen build files and generator come from different versions.");
    /// <summary>RNNG025: "'{0}' ([Sequential]): WeightPrecision = {1} is not a value RnnGen knows; use one of {2}."</summary>
    public static readonly DiagnosticDescriptor UnknownWeightPrecision = Error(
        "RNNG025", "Unknown weight precision",
        "'{0}' ([Sequential]): WeightPrecision = {1} is not a value RnnGen knows; use one of {2}.");

    /// <summary>RNNG026: "'{0}' ([Sequential]): {1} changes how recurrent layers store their weights, and this model has none; its weights stay float32. Remove WeightPrecision."</summary>
    public static readonly DiagnosticDescriptor WeightPrecisionWithoutRecurrentLayer = Warning(
        "RNNG026", "Weight precision without a recurrent layer",
        "'{0}' ([Sequential]): {1} changes how recurrent layers store their weights, and this model has none; its weights stay float32. Remove WeightPrecision.");

    /// <summary>RNNG030: "Layer {0} ({1}): Axis = {2} {3}; RnnGen normalizes the last (features) axis only: leave Axis out or write Axis = -1, the Keras default."</summary>
    public static readonly DiagnosticDescriptor NormalizationAxisNotLast = Error(
        "RNNG030", "Normalization over an axis other than the last",
        "Layer {0} ({1}): Axis = {2} {3}; RnnGen normalizes the last (features) axis only: leave Axis out or write Axis = -1, the Keras default.");

    /// <summary>RNNG031: "Layer {0} ({1}): Epsilon = {2} is not a positive finite number; Keras adds it to the variance under the square root, so it must be greater than 0."</summary>
    public static readonly DiagnosticDescriptor InvalidEpsilon = Error(
        "RNNG031", "Normalization epsilon not positive",
        "Layer {0} ({1}): Epsilon = {2} is not a positive finite number; Keras adds it to the variance under the square root, so it must be greater than 0.");

    /// <summary>RNNG032: "Layer {0} ({1}): Momentum = {2} is outside [0, 1]; the moving statistics are momentum * old + (1 - momentum) * batch."</summary>
    public static readonly DiagnosticDescriptor InvalidMomentum = Error(
        "RNNG032", "BatchNormalization momentum outside [0, 1]",
        "Layer {0} ({1}): Momentum = {2} is outside [0, 1]; the moving statistics are momentum * old + (1 - momentum) * batch.");

    /// <summary>RNNG070: "{0} '{1}': {2}" ({2}: "the name is also [GraphInput] 'x'; give each input and node its own name")</summary>
    public static readonly DiagnosticDescriptor GraphNameInvalid = Error(
        "RNNG070", "Graph input or node name invalid or repeated",
        "{0} '{1}': {2}.");

    /// <summary>RNNG071: "{0} '{1}' reads '{2}', which no [GraphInput], [GraphNode] or [Merge] of '{3}' declares.{4} Declared: {5}."</summary>
    public static readonly DiagnosticDescriptor GraphUnknownTensor = Error(
        "RNNG071", "Graph node reads an undeclared tensor",
        "{0} '{1}' reads '{2}', which no [GraphInput], [GraphNode] or [Merge] of '{3}' declares.{4} Declared: {5}.");

    /// <summary>RNNG072: "{0} '{1}' is on a cycle: {2}. A Keras model's layers form no cycle; make one of these read a graph input or a node outside the cycle."</summary>
    public static readonly DiagnosticDescriptor GraphCycle = Error(
        "RNNG072", "Graph has a cycle",
        "{0} '{1}' is on a cycle: {2}. A Keras model's layers form no cycle; make one of these read a graph input or a node outside the cycle.");

    /// <summary>RNNG073: "[GraphNode] '{0}': '{1}' {2}; a node's model must be a class declared with [Sequential] (a chain of layers)."</summary>
    public static readonly DiagnosticDescriptor GraphNodeNotAChain = Error(
        "RNNG073", "Graph node model is not a [Sequential] class",
        "[GraphNode] '{0}': '{1}' {2}; a node's model must be a class declared with [Sequential] (a chain of layers).");

    /// <summary>RNNG074: "{0} '{1}': {2}." ({2}: "reads 'a', a [5, 3] sequence, but Encoder takes [6, 3] (Timesteps = 6, InputDim = 3)")</summary>
    public static readonly DiagnosticDescriptor GraphShapeMismatch = Error(
        "RNNG074", "Graph shapes do not join",
        "{0} '{1}': {2}.");

    /// <summary>RNNG075: "[GraphNode] '{0}': InitialState = \"{1}\" {2}."</summary>
    public static readonly DiagnosticDescriptor GraphInitialStateMismatch = Error(
        "RNNG075", "Graph initial state does not fit",
        "[GraphNode] '{0}': InitialState = \"{1}\" {2}.");

    /// <summary>RNNG076: "[Graph] on '{0}': {1}." ({1}: "output 'merged' is a [Merge]; end the graph with a [GraphNode]")</summary>
    public static readonly DiagnosticDescriptor GraphOutputInvalid = Error(
        "RNNG076", "Graph outputs invalid",
        "[Graph] on '{0}': {1}.");

    /// <summary>RNNG077: "{0} '{1}': {2} is not supported in a graph yet; {3}."</summary>
    public static readonly DiagnosticDescriptor GraphNotSupported = Error(
        "RNNG077", "Not supported in a graph yet",
        "{0} '{1}': {2} is not supported in a graph yet; {3}.");

    /// <summary>RNNG078: "{0} '{1}': {2} = {3} is not valid; {4}." ({4}: "Keras's num_heads counts the attention heads, at least 1")</summary>
    public static readonly DiagnosticDescriptor GraphAttentionSize = Error(
        "RNNG078", "Attention size not positive",
        "{0} '{1}': {2} = {3} is not valid; {4}.");

    /// <summary>RNNG100 (SpanLengthAnalyzer): "{0}.{1} expects {2}, but this {3} has {4}" ({4}: "19 floats", "2 outputs")</summary>
    public static readonly DiagnosticDescriptor SpanLengthMismatch = Warning(
        "RNNG100", "Span length cannot fit the model",
        "{0}.{1} expects {2}, but this {3} has {4}");

    /// <summary>RNNG101 (StepWithoutStreamingAnalyzer): "'{0}' has no Step: {1}, so it has no output until the whole sequence has arrived. Call Forward (or Predict) with the whole sequence instead." ({1}: "layer 1 (Lstm) is Bidirectional, and its backward half reads the sequence from the last timestep first")</summary>
    public static readonly DiagnosticDescriptor StepWithoutStreaming = Error(
        "RNNG101", "Step on a model that needs the whole sequence",
        "'{0}' has no Step: {1}, so it has no output until the whole sequence has arrived. Call Forward (or Predict) with the whole sequence instead.");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = Index(
        ClassNotPartial, ContainingTypeNotPartial, UnsupportedClass, InvalidUnits, InvalidTimesteps, InvalidInputDim,
        UnknownActivation, UnknownInitializer, MalformedInitializer, BidirectionalGoBackwards, LayersWithoutSequential,
        RecurrentLayerWithoutSequence, ContradictingShape, MultipleOutputsInStack, DropoutRateOutOfRange,
        AttributesOnSeveralDeclarations, OptionValueNotAllowed, LayerNeedsSequential, EmptySequential,
        MergeModeWithoutBidirectional, SizeTooLarge, NameClashesWithGeneratedMember, PrimaryConstructor, MemberClashesWithGeneratedMember,
        UnknownWeightPrecision, WeightPrecisionWithoutRecurrentLayer,
        NormalizationAxisNotLast, InvalidEpsilon, InvalidMomentum, RescalingNotFinite, MaskingNotFirst, SequenceAfterGlobalPooling,
        EmbeddingNotFirst, InvalidEmbeddingSize, EmbeddingInputDim,
        WindowSizeOutOfRange, UnknownPadding, SequenceShorterThanWindow, GroupsDoNotDivide, StridesWithDilation, TimeWindowAfterMask,
        WrongRankForLayer, ReshapeDoesNotFit,
        KerasModelNotInBuild, KerasModelUnreadable, KerasModelUnsupportedLayer, KerasModelOpenTimesteps, KerasModelWeightsContradictConfig,
        KerasModelWithLayerAttributes, KerasModelDescriptionUnreadable,
        GraphNameInvalid, GraphUnknownTensor, GraphCycle, GraphNodeNotAChain, GraphShapeMismatch, GraphInitialStateMismatch,
        GraphOutputInvalid, GraphNotSupported, GraphAttentionSize,
        SpanLengthMismatch, StepWithoutStreaming);

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values;

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static Dictionary<string, DiagnosticDescriptor> Index(params DiagnosticDescriptor[] descriptors)
    {
        var map = new Dictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);
        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            map.Add(descriptor.Id, descriptor);
        }

        return map;
    }
}
