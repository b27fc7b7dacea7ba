package l4smp.kernel.mm;

import java.util.ArrayList;
import l4smp.hw.mem.PhysicalWords;
import l4smp.hw.mem.Pte;

/**
 * The mapping database: for every frame, the tree of mappings derived from sigma0's mapping of it
 * (§2.2.1: "address spaces are constructed hierarchically by mapping (i.e. sharing) or granting
 * (i.e. donating) pages from one address space to another. The entire hierarchy with sigma 0 as
 * the root pager"). It keeps page tables and tree in step: map adds a child and a PTE, grant moves
 * a node and its PTE, unmap removes or weakens a whole subtree ("delete the entry in all following
 * address spaces, i.e. those where this page was mapped to", §8.3.2).
 *
 * <p>Every PTE it changes or removes is reported to an {@link Invalidation}, so the kernel can
 * drop stale TLB entries (§3.1.1). Sigma0's roots are created when first used: sigma0's space maps
 * every free frame idempotently from boot, and the database only records what was derived.
 */
public final class MappingDatabase {
    /** Told of each page whose translation was removed or weakened. */
    @FunctionalInterface
    public interface Invalidation {
        void pageChanged(AddressSpace space, long va);
    }

    /** What became of one page of a map or grant. */
    public enum Outcome {
        OK,
        /** The mapper has no mapping of the page (§8.3.2: "only present pages can be mapped"). */
        NOT_OWNED,
        /** The destination lies outside the user part of the address space. */
        KERNEL_AREA,
        /** A page table was needed and the kernel has no frame left. */
        NO_MEMORY,
        /** The destination's mapping is the source's own ancestor: replacing it would revoke the source. */
        OWN_ANCESTOR
    }

    private long nodesCreated;

    /** The mapping of the page of {@code va} in {@code space}, or null if it has none. */
    public MappingNode lookup(PhysicalWords memory, AddressSpace space, long va) {
        MappingNode node = space.node(va);
        if (node != null || !space.isSigma0() || va >= AddressSpace.USER_LIMIT) {
            return node;
        }
        int pte = space.pte(memory, va);
        if (!Pte.has(pte, Pte.PRESENT)) {
            return null;
        }
        MappingNode root = new MappingNode(space, va, Pte.frameAddress(pte), Pte.has(pte, Pte.WRITABLE), null);
        space.putNode(root);
        nodesCreated++;
        return root;
    }

    /**
     * Maps (or grants) the page of {@code fromVa} in {@code from} to {@code toVa} in {@code to},
     * writable only if asked and if the source is. A mapping already at the destination is
     * revoked first, with everything derived from it (§8.3.2: "the specification tells to unmap
     * this page").
     */
    public Outcome map(PhysicalWords memory, AddressSpace from, long fromVa, AddressSpace to, long toVa,
                       boolean writable, boolean grant, Invalidation invalidation) {
        long destination = toVa & ~0xFFFL;
        if (destination >= AddressSpace.USER_LIMIT) {
            return Outcome.KERNEL_AREA;
        }
        MappingNode source = lookup(memory, from, fromVa);
        if (source == null) {
            return Outcome.NOT_OWNED;
        }
        if (from == to && source.va() == destination) {
            return Outcome.OK;
        }
        MappingNode existing = lookup(memory, to, destination);
        if (existing != null && existing.isAncestorOf(source)) {
            return Outcome.OWN_ANCESTOR;
        }
        if (!Pte.has(to.pde(memory, Pte.directoryIndex(destination)), Pte.PRESENT) && !canAllocateTable(to)) {
            return Outcome.NO_MEMORY;
        }
        if (existing != null) {
            revokeSubtree(memory, existing, true, invalidation);
            remove(memory, existing, invalidation);
        }
        boolean rights = writable && source.writable();
        if (!to.map(memory, destination, source.frame(), rights)) {
            return Outcome.NO_MEMORY;
        }
        if (grant) {
            from.unmap(memory, source.va());
            invalidation.pageChanged(from, source.va());
            from.removeNode(source);
            source.moveTo(to, destination);
            to.putNode(source);
            if (!rights && source.writable()) {
                source.writable(false);
                revokeSubtree(memory, source, false, invalidation);
            }
        } else {
            MappingNode child = new MappingNode(to, destination, source.frame(), rights, source);
            source.children().add(child);
            to.putNode(child);
            nodesCreated++;
        }
        return Outcome.OK;
    }

    private static boolean canAllocateTable(AddressSpace space) {
        return space.framesAvailable() > 0;
    }

    /**
     * fpage_unmap for one page (§2.2.2): revokes every mapping derived from the caller's mapping of
     * {@code va}, removing them ({@code flush}) or weakening them to read-only; with
     * {@code includeOwn} the caller's own mapping too (a sigma0 root stays: sigma0 keeps its frames).
     *
     * @return how many mappings were removed or weakened
     */
    public int unmap(PhysicalWords memory, AddressSpace space, long va, boolean flush, boolean includeOwn,
                     Invalidation invalidation) {
        MappingNode node = lookup(memory, space, va);
        if (node == null) {
            return 0;
        }
        int changed = revokeSubtree(memory, node, flush, invalidation);
        if (includeOwn && node.parent() != null) {
            if (flush) {
                remove(memory, node, invalidation);
            } else {
                weaken(memory, node, invalidation);
            }
            changed++;
        }
        return changed;
    }

    /** Removes or weakens every mapping below {@code node}, deepest first. */
    private int revokeSubtree(PhysicalWords memory, MappingNode node, boolean flush, Invalidation invalidation) {
        int changed = 0;
        for (MappingNode child : new ArrayList<>(node.children())) {
            changed += revokeSubtree(memory, child, flush, invalidation);
            if (flush) {
                remove(memory, child, invalidation);
            } else {
                weaken(memory, child, invalidation);
            }
            changed++;
        }
        return changed;
    }

    private static void weaken(PhysicalWords memory, MappingNode node, Invalidation invalidation) {
        if (node.writable()) {
            node.writable(false);
            node.space().weaken(memory, node.va());
            invalidation.pageChanged(node.space(), node.va());
        }
    }

    /** Removes a node whose children are gone: its PTE, its entry in its space, its place in the tree. */
    private static void remove(PhysicalWords memory, MappingNode node, Invalidation invalidation) {
        if (!node.children().isEmpty()) {
            throw new IllegalStateException("mapping database invariant violated: removing " + node
                    + " which still has " + node.children().size() + " derived mappings");
        }
        node.space().unmap(memory, node.va());
        invalidation.pageChanged(node.space(), node.va());
        node.space().removeNode(node);
        if (node.parent() != null) {
            node.parent().children().remove(node);
        }
    }

    /** Revokes everything a deleted task had mapped or received, so no other space keeps its frames' derivations. */
    public void removeSpace(PhysicalWords memory, AddressSpace space, Invalidation invalidation) {
        for (MappingNode node : space.nodesIn(0, AddressSpace.USER_LIMIT)) {
            revokeSubtree(memory, node, true, invalidation);
            if (node.parent() != null) {
                remove(memory, node, invalidation);
            } else {
                space.removeNode(node);
            }
        }
    }

    /** Mapping nodes created so far (sigma0 roots included). */
    public long nodesCreated() {
        return nodesCreated;
    }
}
