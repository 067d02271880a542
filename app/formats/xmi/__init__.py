"""UIMA CAS XMI, as INCEpTION exchanges it, through dkpro-cassis."""
