"""Documents (transitieplan, Paspoort voor Succes) rendered with reportlab from finished data
objects into a stream. Filled by a later issue; nothing here touches storage."""
