/** Where a sent message's page is (its key and the recipient's role; never the address): the EPA page's list and the tasks link to it. */
export function messageHref(uln: string, key: string, role: string): string {
  return `/epas/${uln}/message?${new URLSearchParams({ key, role }).toString()}`;
}
