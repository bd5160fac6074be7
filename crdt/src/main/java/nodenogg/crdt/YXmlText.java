package nodenogg.crdt;

/** XML text (type ref 6): a {@link YText} inside an XML tree. */
public class YXmlText extends YText {
    @Override
    AbstractType<?> copyEmpty() {
        return new YXmlText();
    }

    @Override
    void writeTypeRef(UpdateEncoder encoder) {
        encoder.writeTypeRef(6);
    }
}
