package nodenogg.crdt;

/** XML hook (type ref 5): a {@link YMap} with a hook name. */
public class YXmlHook extends YMap {
    private final String hookName;

    public YXmlHook(String hookName) {
        this.hookName = hookName;
    }

    public String hookName() {
        return hookName;
    }

    @Override
    AbstractType<?> copyEmpty() {
        return new YXmlHook(hookName);
    }

    @Override
    void writeTypeRef(UpdateEncoder encoder) {
        encoder.writeTypeRef(5);
        encoder.writeKey(hookName);
    }
}
