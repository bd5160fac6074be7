/** Rules of the older nodenogg.in eras (E1–E3), for recognising and importing old documents. */
package nodenogg.microcosm.legacy;
